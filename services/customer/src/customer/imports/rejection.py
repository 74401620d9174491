"""A batch refused as a whole, with the rows that caused it."""

from typing import Any


class BatchRejected(Exception):
    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(f"{len(errors)} rows rejected")
        self.errors = errors
