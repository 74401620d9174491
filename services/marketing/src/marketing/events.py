"""Events the marketing service publishes, keyed by the aggregate's id.

`crm.marketing.campaign` (by campaign): campaign.created, .updated, .budget_submitted, .budget_approved,
.budget_rejected, .cost_recorded, .members_added, .status_changed; each carries the campaign's snapshot.
`crm.marketing.consent` (by contact): consent.recorded, consent.do_not_contact_changed.
`crm.marketing.message` (by send): message.queued, .sent, .opened, .clicked, .unsubscribed, .bounced.
`crm.marketing.segment` (by segment): segment.membership_changed.
`crm.marketing.journey` (by enrolment): journey.enrolled, .step_completed, .finished, .exited.
No event carries an address or a message's text.
"""

from __future__ import annotations

import datetime as dt
import uuid

from crm_contracts.marketing import (
    CAMPAIGN_TOPIC,
    CampaignBudgetApproved,
    CampaignBudgetRejected,
    CampaignBudgetSubmitted,
    CampaignCostRecorded,
    CampaignCreated,
    CampaignMembersAdded,
    CampaignSnapshot,
    CampaignStatusChanged,
    CampaignUpdated,
)
from crm_shared.events.model import Event

__all__ = [  # the campaign's events are a contract (crm_contracts.marketing); marketing publishes them
    "CAMPAIGN_TOPIC",
    "CampaignBudgetApproved",
    "CampaignBudgetRejected",
    "CampaignBudgetSubmitted",
    "CampaignCostRecorded",
    "CampaignCreated",
    "CampaignMembersAdded",
    "CampaignSnapshot",
    "CampaignStatusChanged",
    "CampaignUpdated",
]

CONSENT_TOPIC = "crm.marketing.consent"
MESSAGE_TOPIC = "crm.marketing.message"
SEGMENT_TOPIC = "crm.marketing.segment"
JOURNEY_TOPIC = "crm.marketing.journey"
TOPICS = (CAMPAIGN_TOPIC, CONSENT_TOPIC, MESSAGE_TOPIC, SEGMENT_TOPIC, JOURNEY_TOPIC)


class ConsentRecorded(Event):
    """A contact's opt-in or opt-out for a channel; the latest one decides."""

    topic, type = CONSENT_TOPIC, "consent.recorded"
    subject_field = "contact_id"

    contact_id: uuid.UUID
    channel: str  # email, sms
    granted: bool
    source: str  # form, import, manual, unsubscribe_link, ...
    recorded_at: dt.datetime


class DoNotContactChanged(Event):
    """The contact was put on the do-not-contact list (or taken off it): every send checks it."""

    topic, type = CONSENT_TOPIC, "consent.do_not_contact_changed"
    subject_field = "contact_id"

    contact_id: uuid.UUID
    listed: bool
    reason: str | None


class MessageEvent(Event):
    topic = MESSAGE_TOPIC

    id: uuid.UUID  # the send: one per campaign and recipient
    campaign_id: uuid.UUID
    contact_id: uuid.UUID
    channel: str  # email
    at: dt.datetime


class MessageQueued(MessageEvent):
    type = "message.queued"


class MessageSent(MessageEvent):
    type = "message.sent"

    message_id: str  # the mail's Message-ID, the same on any resend


class MessageOpened(MessageEvent):
    type = "message.opened"


class MessageClicked(MessageEvent):
    type = "message.clicked"

    url: str


class MessageUnsubscribed(MessageEvent):
    type = "message.unsubscribed"


class MessageBounced(MessageEvent):
    """The relay refused the recipient for good (a 5xx answer)."""

    type = "message.bounced"

    smtp_code: int


class SegmentMembershipChanged(Event):
    """Contacts that entered or left a segment (journeys start on entry); a large change comes in parts."""

    topic, type = SEGMENT_TOPIC, "segment.membership_changed"
    subject_field = "segment_id"

    segment_id: uuid.UUID
    added: list[uuid.UUID]
    removed: list[uuid.UUID]


class SegmentDeleted(Event):
    """A segment was deleted and its members with it: every contact counted in `removed` left it at once."""

    topic, type = SEGMENT_TOPIC, "segment.deleted"
    subject_field = "segment_id"

    segment_id: uuid.UUID
    name: str
    removed: int


class JourneyEvent(Event):
    """`crm.marketing.journey` (by enrolment): a person's way through one journey, in order."""

    topic = JOURNEY_TOPIC

    id: uuid.UUID  # the enrolment: one per journey and person
    journey_id: uuid.UUID
    version: int
    person_id: uuid.UUID
    person_kind: str  # contact, lead
    step: str  # the step's key
    at: dt.datetime


class JourneyEnrolled(JourneyEvent):
    type = "journey.enrolled"

    trigger: str  # event, form, date, segment


class JourneyStepCompleted(JourneyEvent):
    type = "journey.step_completed"

    step_type: str  # email, wait, branch, add_tag, remove_tag, task, lead, goal, exit
    outcome: str  # done, skipped, yes, no, timeout, goal


class JourneyFinished(JourneyEvent):
    """The person came to the end of the journey."""

    type = "journey.finished"

    goal_reached: bool


class JourneyExited(JourneyEvent):
    """The person left at an exit step."""

    type = "journey.exited"

    goal_reached: bool


class MessageDelivered(MessageEvent):
    """The SMS provider's receipt: the text reached the phone."""

    type = "message.delivered"
