"""A batch refused as a whole, with the rows that caused it."""

from typing import Any

from crm_shared.i18n import translate


class BatchRejected(Exception):
    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(f"{len(errors)} rows rejected")
        self.errors = errors


def row_error(number: int, field: str, key: str) -> dict[str, Any]:
    """A row's entry in the job's error report, in the importer's language."""
    return {"row": number, "field": field, "message": translate(key, field=field)}
