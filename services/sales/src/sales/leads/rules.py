"""Assignment (round robin within a team, territory by region or industry, least loaded) and scoring rules.

An assignment rule with a unit is that unit's: its managers shape it, and it applies only to the leads
the unit's members enter. A rule without a unit, and every scoring rule, is company-wide: it applies to
every lead (the web form's and imports' too) and only administrators shape it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, func, or_, select
from sqlmodel import col

from crm_shared import audit
from crm_shared.auth import Principal
from crm_shared.auth.directory import DirectoryUser, assignable, may_read
from crm_shared.db import UnitOfWork
from crm_shared.errors import BadInput, NotFound
from crm_shared.validate import choice, optional_text, required_text, whole
from sales.leads.models import METHODS, OPEN, SCORE_FIELDS, AssignmentRule, Lead, ScoringRule

ADMIN = "sales:lead_rule"
LEAD = "sales:lead"
Rule = AssignmentRule | ScoringRule
MAX_PRIORITY = 10_000  # rules run from priority 0 up


@dataclass
class RuleInput:
    name: str
    method: str
    priority: int = 100
    provinces: list[str] = field(default_factory=list)
    industries: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    unit_id: uuid.UUID | None = None
    member_ids: list[uuid.UUID] = field(default_factory=list)
    active: bool = True


def matches(rule: AssignmentRule, lead: Lead) -> bool:
    return all(
        not allowed or value in allowed
        for allowed, value in (
            (rule.provinces, lead.province),
            (rule.industries, lead.industry),
            (rule.sources, lead.source),
        )
    )


async def members(uow: UnitOfWork, rule: AssignmentRule) -> list[uuid.UUID]:
    """The listed members, or the unit's active users, who may read leads (not the unit's assistant, nor a member
    whose role changed since); always in a stable order."""
    listed = [uuid.UUID(m) for m in rule.member_ids]
    query = select(col(DirectoryUser.user_id), col(DirectoryUser.permissions)).where(
        col(DirectoryUser.is_active).is_(True)
    )
    if listed:
        query = query.where(col(DirectoryUser.user_id).in_(listed))
    elif rule.unit_id:
        query = query.where(col(DirectoryUser.unit_id) == rule.unit_id)
    else:
        return []
    able = {user_id for user_id, permissions in (await uow.session.execute(query)).all() if may_read(permissions, LEAD)}
    return [m for m in listed if m in able] if listed else sorted(able)


async def choose_owner(
    uow: UnitOfWork, lead: Lead, unit_id: uuid.UUID | None
) -> tuple[uuid.UUID, AssignmentRule] | None:
    """The first active rule (by priority) that applies, matches and has members decides; None when none does.

    `unit_id` is the unit of whoever entered the lead (None for the web form): its rules and the
    company-wide ones apply.
    """
    applies: ColumnElement[bool] = col(AssignmentRule.unit_id).is_(None)
    if unit_id is not None:
        applies = or_(applies, col(AssignmentRule.unit_id) == unit_id)
    rules = await uow.session.scalars(
        select(AssignmentRule)
        .where(col(AssignmentRule.active).is_(True), applies)
        .order_by(col(AssignmentRule.priority), col(AssignmentRule.created_at))
    )
    for rule in rules.all():
        if not matches(rule, lead):
            continue
        candidates = await members(uow, rule)
        if not candidates:
            continue
        if rule.method == "least_loaded":
            loads = dict(
                (
                    await uow.session.execute(
                        select(col(Lead.owner_id), func.count())
                        .where(col(Lead.owner_id).in_(candidates), col(Lead.status).in_(OPEN))
                        .group_by(col(Lead.owner_id))
                    )
                ).all()
            )
            return min(candidates, key=lambda m: loads.get(m, 0)), rule
        if rule.method == "round_robin":
            await uow.session.refresh(rule, with_for_update=True)  # concurrent arrivals take turns
            chosen = candidates[rule.next_index % len(candidates)]
            rule.next_index = (rule.next_index + 1) % len(candidates)
            return chosen, rule
        return candidates[0], rule
    return None


def score(lead: Lead, rules: list[ScoringRule]) -> int:
    total = 0
    for rule in rules:
        value = rule.value.strip()
        if rule.field in ("email", "phone"):
            hit = getattr(lead, f"{rule.field}_enc") is not None
        elif rule.field == "activities":
            hit = lead.activity_count >= int(value or 1)
        elif rule.field == "title":
            hit = bool(lead.title) and value.lower() in (lead.title or "").lower()
        else:
            hit = (getattr(lead, rule.field) or "") == value
        total += rule.points if hit else 0
    return max(0, min(100, total))


async def rescore(uow: UnitOfWork, lead: Lead) -> None:
    lead.score = score(lead, list((await uow.session.scalars(select(ScoringRule))).all()))


async def assignment_rules(uow: UnitOfWork, principal: Principal) -> list[AssignmentRule]:
    principal.require("sales:lead:read")
    rows = await uow.session.scalars(
        select(AssignmentRule).order_by(col(AssignmentRule.priority), col(AssignmentRule.created_at))
    )
    return list(rows.all())


async def save_assignment_rule(
    uow: UnitOfWork, principal: Principal, data: RuleInput, rule_id: uuid.UUID | None
) -> AssignmentRule:
    principal.require_governs(f"{ADMIN}:update", data.unit_id)
    name = required_text(data.name, "name", 100)
    method = choice(data.method, "method", METHODS)
    whole(data.priority, "priority", 0, MAX_PRIORITY)
    if not data.member_ids and data.unit_id is None:
        raise BadInput("rule_needs_members", field="memberIds")
    rule = AssignmentRule(name=name, method=method or "round_robin")
    if rule_id is not None:
        found = await uow.session.get(AssignmentRule, rule_id, with_for_update=True)
        if found is None:
            raise NotFound(entity="AssignmentRule")
        principal.require_governs(f"{ADMIN}:update", found.unit_id)  # nor take over another unit's rule
        rule = found
    for index, member in enumerate(data.member_ids):
        if member in data.member_ids[:index]:  # a second turn in the round robin
            raise BadInput("entry_repeated", field=f"memberIds[{index}]")
        await assignable(uow, principal, LEAD, member, "memberIds")
    rule.name, rule.method, rule.priority, rule.active = (
        name,
        method or "round_robin",
        data.priority,
        data.active,
    )
    rule.provinces, rule.industries, rule.sources = data.provinces, data.industries, data.sources
    rule.unit_id, rule.member_ids = data.unit_id, [str(m) for m in data.member_ids]
    uow.session.add(rule)
    await uow.flush()
    await audit.record(
        uow,
        "assignment_rule.saved",
        "AssignmentRule",
        rule.id,
        None,
        {"name": rule.name, "method": rule.method, "priority": rule.priority},
    )
    return rule


async def _delete(
    uow: UnitOfWork, principal: Principal, model: type[Rule], rule_id: uuid.UUID, kind: str, kept: str
) -> None:
    """Both kinds of rule go the same way: NOT_FOUND if missing, audited with the field that names it."""
    principal.require(f"{ADMIN}:delete")
    rule = await uow.session.get(model, rule_id)
    if rule is None:
        raise NotFound(entity=model.__name__)
    principal.require_governs(f"{ADMIN}:delete", getattr(rule, "unit_id", None))
    await uow.session.delete(rule)
    await audit.record(uow, f"{kind}.deleted", model.__name__, rule_id, {kept: getattr(rule, kept)}, None)


async def delete_assignment_rule(uow: UnitOfWork, principal: Principal, rule_id: uuid.UUID) -> None:
    await _delete(uow, principal, AssignmentRule, rule_id, "assignment_rule", "name")


async def scoring_rules(uow: UnitOfWork, principal: Principal) -> list[ScoringRule]:
    principal.require("sales:lead:read")
    return list((await uow.session.scalars(select(ScoringRule).order_by(col(ScoringRule.created_at)))).all())


async def add_scoring_rule(uow: UnitOfWork, principal: Principal, field: str, value: str, points: int) -> ScoringRule:
    principal.require_governs(f"{ADMIN}:create", None)  # a score counts for every lead: company-wide
    choice(field, "field", SCORE_FIELDS)
    whole(points, "points", -100, 100)
    if field == "activities" and not value.strip().isdigit():
        raise BadInput("score_activities", field="value")
    rule = ScoringRule(field=field, value=optional_text(value, "value", 100) or "", points=points)
    uow.session.add(rule)
    await uow.flush()
    await audit.record(
        uow,
        "scoring_rule.added",
        "ScoringRule",
        rule.id,
        None,
        {"field": field, "value": rule.value, "points": points},
    )
    return rule


async def delete_scoring_rule(uow: UnitOfWork, principal: Principal, rule_id: uuid.UUID) -> None:
    await _delete(uow, principal, ScoringRule, rule_id, "scoring_rule", "field")
