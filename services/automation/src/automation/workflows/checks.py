"""What a rule must get right when it is saved, beyond its shape: values its run (or its conditions) could never
use. A workflow's draft, a webhook subscription's filters and an approval chain are checked here, so that a
mistake is refused naming its field instead of failing runs, or costing events, later."""

from __future__ import annotations

import ipaddress
import re
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

import httpx
from croniter import CroniterBadDateError
from sqlalchemy import select
from sqlmodel import col

from automation.webhooks import signing
from automation.workflows.conditions import PLACEHOLDER
from automation.workflows.definition import (
    Branch,
    CallWebhook,
    Condition,
    CreateTask,
    DateTrigger,
    Definition,
    EventTrigger,
    Notify,
    ScheduleTrigger,
    UntilEvent,
    UpdateRecord,
    Wait,
    dump,
    next_cron,
)
from crm_contracts.published import PUBLISHED
from crm_shared.auth.directory import DirectoryUser
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.errors import BadInput
from crm_shared.http import outgoing
from crm_shared.http.outgoing import Network
from crm_shared.validate import field_name, http_host, required_text, uuid_of, web_link

Path = Sequence[str | int]
ORDERED = ("gt", "gte", "lt", "lte")
# what the service account may do through an update step (its `CallsAs` permissions), and whether it takes `input`
MUTATIONS: dict[str, dict[str, bool]] = {
    "customer": {"updateAccount": True},
    "sales": {"updateLead": True, "qualifyLead": False, "updateOpportunity": True, "fulfillOrder": False},
    "support": {"updateTicket": True},
}
# what a link's text before its first placeholder must be, so that no value makes it another kind of link: a path
# of the app (`/leads/{{ event.id }}`) or an http(s) address (`https://{{ event.host }}/…`)
SAFE_START = re.compile(r"^(?:/(?![/\\])|https?://)", re.IGNORECASE)


def conditions(found: Iterable[Condition], path: Path) -> None:
    """Each condition's value is one its operator can compare (`contains` text, `in` a list, `gt` a number or text)."""
    for position, condition in enumerate(found):
        here = field_name([*path, position, "value"])
        value = condition.value
        if condition.op == "contains" and not isinstance(value, str):
            raise BadInput("condition_text", field=here)
        if condition.op in ("in", "notIn") and not (isinstance(value, list) or _whole_placeholder(value)):
            raise BadInput("condition_list", field=here)
        if condition.op in ORDERED and (isinstance(value, bool) or not isinstance(value, int | float | str)):
            raise BadInput("condition_comparable", field=here)


def draft(definition: Definition, field: str, topics: Sequence[str], networks: Sequence[Network]) -> None:
    """The draft's values as its runs will use them: BAD_USER_INPUT naming the first wrong one."""
    _placeholders(dump(definition), [field])
    trigger = definition.trigger
    if isinstance(trigger, ScheduleTrigger) and len(trigger.cron.split()) != 5:
        # croniter also reads a sixth field as seconds (`* * * * * */1`: every second); a version stored with one
        # still loads, so only a new draft is refused
        raise BadInput("workflow_cron_fields", field=field_name([field, "trigger", "cron"]))
    if isinstance(trigger, ScheduleTrigger):
        _fires(trigger.cron, field_name([field, "trigger", "cron"]))
    if isinstance(trigger, EventTrigger | DateTrigger):
        _event(trigger, [field, "trigger"], topics)
        conditions(trigger.conditions, [field, "trigger", "conditions"])
    conditions(definition.conditions, [field, "conditions"])
    for position, step in enumerate(definition.steps):
        here: list[str | int] = [field, "steps", position]
        if isinstance(step, CreateTask | Notify):
            required_text(step.title, field_name([*here, "title"]), 200)
            _user(_named_user(step), [*here, _user_key(step)])
        if isinstance(step, Notify) and step.link is not None:
            _link(step.link, [*here, "link"])
        if isinstance(step, UpdateRecord):
            _mutation(step, here)
        if isinstance(step, CallWebhook):
            destination(step.url, field_name([*here, "url"]), networks)
            if step.secret is not None:
                signing.key(step.secret, field_name([*here, "secret"]))
        if isinstance(step, Wait) and step.until_event is not None:
            _event(step.until_event, [*here, "untilEvent"], topics)
            conditions(step.until_event.conditions, [*here, "untilEvent", "conditions"])
        if isinstance(step, Branch):
            conditions(step.conditions, [*here, "conditions"])


def destination(url: str, field: str, networks: Sequence[Network]) -> str:
    """An http(s) address with a host and no spaces, which webhooks may reach: a literal address that is not
    public (loopback, private, link-local, metadata) is refused now, as sending to it would be (names are
    resolved, and refused alike, when sent to)."""
    host = http_host(url)
    if host is None:
        raise BadInput("workflow_url", field=field)
    if not _readable(url):
        raise BadInput("webhook_host", field=field, host=host)
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return url
    if not outgoing.allowed(host, networks):
        raise BadInput("webhook_destination", field=field, address=host)
    return url


def _readable(url: str) -> bool:
    """Whether the HTTP client reads the address and the resolver takes its host: `http://1.2.3.256/`, `http://xn--/`
    or a label of 64 characters fail every call with an error of their own, not as a connection that failed."""
    try:
        parsed = httpx.URL(url)
        parsed.host  # noqa: B018  (an A-label, `xn--…`, is decoded: a malformed one raises)
        parsed.raw_host.decode("ascii").encode("idna")  # as the resolver is asked: labels of 1 to 63 characters
    except (httpx.InvalidURL, UnicodeError):
        return False
    return True


def _fires(cron: str, field: str) -> None:
    """A schedule that comes: `0 0 31 2 *` (31 February) never does."""
    try:
        next_cron(cron, utcnow())
    except CroniterBadDateError:
        raise BadInput("workflow_cron_never", field=field) from None


async def recipients(uow: UnitOfWork, definition: Definition, field: str) -> None:
    """Users a step names by id (not by placeholder) are active users of the directory, as approval chains' are:
    a typo would fail every run."""
    named: list[tuple[Path, uuid.UUID]] = [
        ([field, "steps", position, _user_key(step)], uuid_of(value))
        for position, step in enumerate(definition.steps)
        if isinstance(step, CreateTask | Notify) and "{{" not in (value := _named_user(step))
    ]
    if not named:
        return
    users = {user for _, user in named}
    query = select(col(DirectoryUser.user_id)).where(
        col(DirectoryUser.user_id).in_(users), col(DirectoryUser.is_active).is_(True)
    )
    active = set((await uow.session.scalars(query)).all())
    for path, user in named:
        if user not in active:
            raise BadInput("unassignable_user", field=field_name(path))


def link(value: Any, field: str) -> str | None:
    """A notification's link: a path of the app (`/leads/…`) or an http(s) address people can open."""
    text = None if value is None else str(value).strip()
    if not text:
        return None
    if text.startswith("/") and not text.startswith("//") and "\\" not in text:
        return text
    try:
        return web_link(text, field, 500)
    except BadInput:
        raise BadInput("notification_link", field=field) from None


def _placeholders(value: Any, path: list[str | int]) -> None:
    """Every `{{` opens a placeholder the template engine reads (`{{ event.x` would be sent as it is)."""
    if isinstance(value, str):
        if "{{" in PLACEHOLDER.sub("", value):
            raise BadInput("template_unclosed", field=field_name(path))
    elif isinstance(value, dict):
        for key, item in value.items():
            _placeholders(item, [*path, key])
    elif isinstance(value, list):
        for position, item in enumerate(value):
            _placeholders(item, [*path, position])


def _whole_placeholder(value: Any) -> bool:
    return isinstance(value, str) and PLACEHOLDER.fullmatch(value.strip()) is not None


def _event(awaited: EventTrigger | DateTrigger | UntilEvent, path: Path, topics: Sequence[str]) -> None:
    """A topic this deployment consumes, and a type published on it."""
    if awaited.topic not in topics:
        raise BadInput("one_of", field=field_name([*path, "topic"]), choices=", ".join(topics))
    types = PUBLISHED.get(awaited.topic, ())
    if awaited.type not in types:
        raise BadInput("one_of", field=field_name([*path, "type"]), choices=", ".join(types))


def _user_key(step: CreateTask | Notify) -> str:
    return "assignee" if isinstance(step, CreateTask) else "user"


def _named_user(step: CreateTask | Notify) -> str:
    return step.assignee if isinstance(step, CreateTask) else step.user


def _user(value: str, path: Path) -> None:
    """A user's id, or a placeholder filled in by the run (which refuses what is no id then)."""
    if "{{" not in value:
        uuid_of(value, field_name(path))


def _link(value: str, path: Path) -> None:
    """A safe link whatever its placeholders become: the text before the first one fixes the kind of link
    (`{{ event.x }}javascript:…` could be any), and the whole is checked as filled in with a sample
    (`javascript:{{ event.x }}` is no link whatever the event says)."""
    text = value.strip()
    first = PLACEHOLDER.search(text)
    if first is not None and not SAFE_START.match(text[: first.start()]):
        raise BadInput("notification_link", field=field_name(path))
    link(PLACEHOLDER.sub("x", text), field_name(path))


def _mutation(step: UpdateRecord, path: list[str | int]) -> None:
    allowed = MUTATIONS.get(step.service)
    if allowed is None:
        raise BadInput("one_of", field=field_name([*path, "service"]), choices=", ".join(MUTATIONS))
    if step.mutation not in allowed:
        raise BadInput("one_of", field=field_name([*path, "mutation"]), choices=", ".join(allowed))
    if allowed[step.mutation] and step.input is None:
        raise BadInput("required_field", field=field_name([*path, "input"]))
    if not allowed[step.mutation] and step.input is not None:
        raise BadInput("workflow_unknown_key", field=field_name([*path, "input"]))
