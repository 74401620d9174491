"""Business calendars as administrators keep them."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlmodel import Field, SQLModel

from crm_shared.db import timestamp
from crm_shared.db.columns import dates, json_value


class BusinessCalendar(SQLModel, table=True):
    __tablename__ = "business_calendars"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    time_zone: str = Field(default="Asia/Shanghai", max_length=64)
    weekly: list[dict[str, object]] = json_value()  # [{"weekday": 1, "start": "09:00", "end": "12:00"}]
    statutory: bool = True  # China's announced holidays and make-up workdays apply
    holidays: list[dt.date] = dates()
    workdays: list[dt.date] = dates()  # make-up workdays (调休)
    closures: list[dict[str, str]] = json_value()  # [{"start": ISO time, "end": ISO time, "reason": ...}]
    created_at: dt.datetime = timestamp()
    updated_at: dt.datetime = timestamp()
