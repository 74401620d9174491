"""Service teams, their agents' capacities, and the rules that route new tickets to a team."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlmodel import Field, SQLModel

from crm_shared.db import timestamp
from crm_shared.db.columns import strings

METHODS = ("round_robin", "least_loaded")


class Team(SQLModel, table=True):
    __tablename__ = "teams"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    unit_id: uuid.UUID | None = None
    method: str = Field(default="round_robin", max_length=20)
    next_index: int = 0  # round-robin position
    created_at: dt.datetime = timestamp()


class TeamMember(SQLModel, table=True):
    __tablename__ = "team_members"

    team_id: uuid.UUID = Field(foreign_key="teams.id", primary_key=True)
    user_id: uuid.UUID = Field(primary_key=True, index=True)
    capacity: int = 10  # open tickets the agent takes at most


class RoutingRule(SQLModel, table=True):
    """New tickets matching the conditions (empty: any) go to `team_id`; the lowest rank wins."""

    __tablename__ = "routing_rules"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(max_length=100)
    rank: int = 100
    types: list[str] = strings(20)
    provinces: list[str] = strings(50)
    levels: list[str] = strings(1)
    products: list[str] = strings(36)  # product ids: the ticket's product, else any the account has installed
    team_id: uuid.UUID = Field(foreign_key="teams.id")
    active: bool = True
    created_at: dt.datetime = timestamp()
