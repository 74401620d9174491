"""Agents' working hours: a weekly pattern in a time zone, and dated exceptions (a day off, other hours)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlmodel import Field, SQLModel

from crm_shared.db import timestamp
from crm_shared.db.columns import json_value


class AgentShift(SQLModel, table=True):
    """An agent without a row here is not on a shift roster and takes tickets whenever within capacity."""

    __tablename__ = "agent_shifts"

    user_id: uuid.UUID = Field(primary_key=True)
    time_zone: str = Field(default="Asia/Shanghai", max_length=64)
    weekly: list[dict[str, object]] = json_value()  # [{"weekday": 1, "start": "08:00", "end": "16:00"}]
    # [{"day": "2026-12-24", "start": "12:00", "end": "20:00"}] or without hours for a day off
    exceptions: list[dict[str, object]] = json_value()
    updated_at: dt.datetime = timestamp()
