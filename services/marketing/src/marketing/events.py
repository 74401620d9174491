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
from decimal import Decimal

from crm_shared.events.model import Event

CAMPAIGN_TOPIC = "crm.marketing.campaign"
CONSENT_TOPIC = "crm.marketing.consent"
MESSAGE_TOPIC = "crm.marketing.message"
SEGMENT_TOPIC = "crm.marketing.segment"
JOURNEY_TOPIC = "crm.marketing.journey"
TOPICS = (CAMPAIGN_TOPIC, CONSENT_TOPIC, MESSAGE_TOPIC, SEGMENT_TOPIC, JOURNEY_TOPIC)


class CampaignSnapshot(Event):
    topic = CAMPAIGN_TOPIC

    id: uuid.UUID
    name: str
    campaign_type: str  # exhibition, seminar, webinar, email, sms, online_ads, social
    status: str  # planned, approved, running, completed, cancelled
    budget_status: str  # draft, submitted, approved, rejected
    starts_on: dt.date
    ends_on: dt.date
    goal_leads: int | None
    goal_opportunities: int | None
    goal_revenue: Decimal | None
    currency: str
    budget_total: Decimal
    actual_cost: Decimal
    owner_id: uuid.UUID


class CampaignCreated(CampaignSnapshot):
    type = "campaign.created"


class CampaignUpdated(CampaignSnapshot):
    type = "campaign.updated"


class CampaignBudgetSubmitted(CampaignSnapshot):
    """Goes to automation's approvals, with who may not decide on it (owner, creator, submitter)."""

    type = "campaign.budget_submitted"

    submitted_by: uuid.UUID
    created_by: uuid.UUID | None = None


class CampaignBudgetApproved(CampaignSnapshot):
    type = "campaign.budget_approved"

    approved_by: uuid.UUID


class CampaignBudgetRejected(CampaignSnapshot):
    type = "campaign.budget_rejected"

    rejected_by: uuid.UUID
    note: str | None


class CampaignCostRecorded(CampaignSnapshot):
    type = "campaign.cost_recorded"

    cost_id: uuid.UUID
    category: str
    amount: Decimal
    incurred_on: dt.date


class CampaignMembersAdded(CampaignSnapshot):
    type = "campaign.members_added"

    contact_ids: list[uuid.UUID]
    lead_ids: list[uuid.UUID]


class CampaignStatusChanged(CampaignSnapshot):
    type = "campaign.status_changed"

    from_status: str


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
