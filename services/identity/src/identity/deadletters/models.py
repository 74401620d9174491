"""Replays of dead letters: which record of a dead-letter topic was sent back, when, and by whom."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import BigInteger, Column, Text
from sqlmodel import Field, SQLModel

from crm_shared.db import timestamp


class DeadLetterReplay(SQLModel, table=True):
    """The latest replay of one dead-letter record, keyed by where the broker holds it.

    An event that fails again after a replay is dead-lettered anew, at another offset: that letter is
    not replayed yet. The event id guards against an offset reused by a broker that lost its topics.
    """

    __tablename__ = "dead_letter_replays"

    dlq_topic: str = Field(primary_key=True, max_length=255)
    dlq_partition: int = Field(primary_key=True)
    dlq_offset: int = Field(sa_column=Column(BigInteger, primary_key=True))
    event_id: str = Field(sa_column=Column(Text, nullable=False))
    replayed_at: dt.datetime = timestamp()
    replayed_by: uuid.UUID | None = None
