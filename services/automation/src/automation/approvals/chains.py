"""Approval chains: which subjects a chain takes and its levels, checked when saved; picking one for a subject.

A level names its approvers by user, by role, or as the requester's manager N levels up identity's
organisation tree; it is decided when all of them, any one, or a minimum count approve. Levels may
carry conditions of their own (a director joins only past a larger discount). Conditions are the
workflows' (`event.effectiveDiscount gt 15`), read against the submission event.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field, ValidationError
from sqlalchemy import select
from sqlmodel import col

from automation.approvals.approvers import holders, reads, standing
from automation.approvals.models import ApprovalChain
from automation.workflows import checks
from automation.workflows.conditions import holds
from automation.workflows.definition import Condition, Part, _bad_input
from crm_contracts.automation import SubjectKind
from crm_contracts.identity import BUILTIN_ROLES
from crm_shared import audit
from crm_shared.auth.principal import Principal
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.errors import BadInput, Conflict, NotFound
from crm_shared.validate import field_name, required_text

RESOURCE = "automation:approval_chain"
DEFAULT_NAME = "默认：直属经理 Default: the requester's manager"


class Approver(Part):
    type: Literal["user", "role", "manager"]
    user_id: uuid.UUID | None = None
    role: str | None = Field(default=None, min_length=1, max_length=50)
    level: int | None = Field(default=None, ge=1, le=10)  # manager: 1 is the requester's own manager

    def required(self) -> str | None:
        """The setting its type needs, when missing."""
        needed = {"user": ("userId", self.user_id), "role": ("role", self.role), "manager": ("level", self.level)}
        name, value = needed[self.type]
        return name if value is None else None


class Level(Part):
    name: str = Field(default="", max_length=100)
    approvers: list[Approver] = Field(min_length=1, max_length=20)
    mode: Literal["ALL", "ANY", "MIN"] = "ANY"
    min: int | None = Field(default=None, ge=1, le=20)  # MIN: how many must approve
    conditions: list[Condition] = Field(default_factory=list, max_length=20)
    remind_after_hours: float | None = Field(default=None, gt=0, le=24 * 60)
    escalate_after_hours: float | None = Field(default=None, gt=0, le=24 * 60)
    escalate_to: list[Approver] = Field(default_factory=list, max_length=20)


class Steps(Part):
    conditions: list[Condition] = Field(default_factory=list, max_length=20)
    levels: list[Level] = Field(min_length=1, max_length=10)


DEFAULT = Steps(levels=[Level(name="直属经理 Manager", approvers=[Approver(type="manager", level=1)])])


@dataclass(frozen=True)
class ChainInput:
    name: str
    subject_kind: SubjectKind
    conditions: Any
    levels: Any
    position: int = 0
    active: bool = True


def parse(conditions: Any, levels: Any) -> Steps:
    """The chain's conditions and levels, or BAD_USER_INPUT naming the first wrong field (`levels[0].mode`)."""
    try:
        steps = Steps.model_validate({"conditions": conditions or [], "levels": levels})
    except ValidationError as exc:
        error = exc.errors()[0]
        raise _bad_input({**error, "loc": error["loc"][1:]}, str(error["loc"][0])) from None
    checks.conditions(steps.conditions, ["conditions"])
    named = []
    for position, level in enumerate(steps.levels):
        here: list[str | int] = ["levels", position]
        name = required_text(level.name, field_name([*here, "name"]), 100) if level.name else ""  # optional; shown
        named.append(level.model_copy(update={"name": name}))
        checks.conditions(level.conditions, [*here, "conditions"])
        if level.mode == "MIN" and level.min is None:
            raise BadInput("required_field", field=field_name([*here, "min"]))
        if level.escalate_after_hours is not None and not level.escalate_to:
            raise BadInput("required_field", field=field_name([*here, "escalateTo"]))
        for group in ("approvers", "escalateTo"):
            for index, approver in enumerate(level.approvers if group == "approvers" else level.escalate_to):
                if missing := approver.required():
                    raise BadInput("required_field", field=field_name([*here, group, index, missing]))
    return steps.model_copy(update={"levels": named})


def dump(steps: Steps) -> tuple[list[Any], list[Any]]:
    data = steps.model_dump(mode="json", by_alias=True, exclude_none=True)
    return data["conditions"], data["levels"]


async def listed(uow: UnitOfWork, principal: Principal, kind: SubjectKind | None = None) -> list[ApprovalChain]:
    principal.require(f"{RESOURCE}:read")
    query = select(ApprovalChain).order_by(col(ApprovalChain.subject_kind), col(ApprovalChain.position))
    if kind is not None:
        query = query.where(col(ApprovalChain.subject_kind) == kind)
    return list((await uow.session.scalars(query.order_by(col(ApprovalChain.name)))).all())


async def save(uow: UnitOfWork, principal: Principal, chain_id: uuid.UUID | None, data: ChainInput) -> ApprovalChain:
    """New or changed; approvals already open keep the levels they were opened with."""
    principal.require(f"{RESOURCE}:{'update' if chain_id else 'create'}")
    row = None
    if chain_id is not None:
        row = await uow.session.get(ApprovalChain, chain_id, with_for_update=True)
        if row is None:
            raise NotFound(entity="ApprovalChain")
    name = required_text(data.name, "name", 100)
    if not 0 <= data.position <= 10_000:
        raise BadInput("approval_position", field="position")
    steps = parse(data.conditions, data.levels)
    await _known_approvers(uow, steps, data.subject_kind)
    conditions, levels = dump(steps)
    same = select(col(ApprovalChain.id)).where(col(ApprovalChain.name) == name)
    if row is not None:
        same = same.where(col(ApprovalChain.id) != row.id)
    if await uow.session.scalar(same) is not None:
        raise Conflict("approval_chain_name_taken", field="name")
    before = None if row is None else {"name": row.name, "conditions": row.conditions, "levels": row.levels}
    if row is None:
        row = ApprovalChain(name=name, created_by=principal.user_id)
        uow.session.add(row)
    row.name, row.subject_kind, row.position, row.active = name, data.subject_kind, data.position, data.active
    row.conditions, row.levels, row.updated_at = conditions, levels, utcnow()
    await uow.flush()
    after = {"name": name, "kind": row.subject_kind, "conditions": conditions, "levels": levels}
    await audit.record(uow, "approval_chain.saved", "ApprovalChain", row.id, before, after, actor=principal)
    return row


async def _known_approvers(uow: UnitOfWork, steps: Steps, kind: SubjectKind) -> None:
    """Users named as approvers are active users of identity's directory, and roles are identity's built-in ones or
    held by someone: an unknown one (a typo) would silently leave the level to the administrators. Automation learns
    of other roles only as users hold them, so a new role is named once someone holds it. Either must let its people
    read the chain's subjects (an approval shows them): a role does not when one of its active holders cannot."""
    named: list[tuple[list[str | int], Approver]] = [
        (["levels", position, group, index], approver)
        for position, level in enumerate(steps.levels)
        for group, approvers in (("approvers", level.approvers), ("escalateTo", level.escalate_to))
        for index, approver in enumerate(approvers)
    ]
    active = await standing(uow, (a.user_id for _, a in named if a.type == "user" and a.user_id is not None))
    for path, approver in named:
        if approver.type == "user" and approver.user_id is not None:
            if approver.user_id not in active:
                raise BadInput("unassignable_user", field=field_name([*path, "userId"]))
            if not reads(active[approver.user_id], kind):
                raise BadInput("assignee_cannot_read", field=field_name([*path, "userId"]))
        if approver.type != "role":
            continue
        role = approver.role or ""  # a role approver has one (`Approver.required`)
        held = await holders(uow, role)
        if role not in BUILTIN_ROLES and not held:
            raise BadInput("approver_role_unknown", field=field_name([*path, "role"]), role=role)
        if not all(reads(permissions, kind) for permissions in (await standing(uow, held)).values()):
            raise BadInput("approver_role_cannot_read", field=field_name([*path, "role"]), role=role)


async def pick(uow: UnitOfWork, kind: SubjectKind, context: dict[str, Any]) -> tuple[ApprovalChain | None, Steps]:
    """The first active chain of the kind, by position, whose conditions the subject meets; else the default."""
    rows = await uow.session.scalars(
        select(ApprovalChain)
        .where(col(ApprovalChain.subject_kind) == kind, col(ApprovalChain.active).is_(True))
        .order_by(col(ApprovalChain.position), col(ApprovalChain.name))
    )
    for row in rows.all():
        steps = Steps.model_validate({"conditions": row.conditions, "levels": row.levels})
        if holds(steps.conditions, context):
            return row, steps
    return None, DEFAULT
