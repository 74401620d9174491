"""A batch refused as a whole, with the rows that caused it; a job's errors kept as message keys with their
parameters and put in words when read, so each reader sees them in their own language."""

from typing import Any

from crm_shared.errors import DomainError
from crm_shared.i18n import translate
from customer.imports.models import ImportJob


class BatchRejected(Exception):
    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(f"{len(errors)} rows rejected")
        self.errors = errors


def kept(key: str, field: str | None = None, **params: Any) -> dict[str, Any]:
    """A message as the job stores it: its catalogue key and parameters."""
    return {"key": key, "params": {"field": field, **params} if field else params}


def row_error(number: int, field: str | None, key: str, **params: Any) -> dict[str, Any]:
    """A row's entry in the job's error report."""
    return {"row": number, "field": field, **kept(key, field, **params)}


def refused(number: int, field: str, refusal: DomainError, not_editable: str) -> dict[str, Any]:
    """A row refused by the rule its change made by itself answers: an account in the public pool says so (the
    caller sees the pool); any other refusal is `not_editable`, which never tells whether a record is there."""
    return row_error(number, field, "import_account_in_pool" if refusal.key == "account_in_pool" else not_editable)


def words(stored: dict[str, Any]) -> str:
    """A stored message in the reader's language; one stored as text (before keys were kept) as it was written."""
    return translate(stored["key"], **stored["params"]) if "key" in stored else str(stored["message"])


def report(job: ImportJob) -> dict[str, Any]:
    """The job's per-row errors and its failure, as the reader is shown them."""
    errors = [{"row": e["row"], "field": e["field"], "message": words(e)} for e in job.errors]
    return {"errors": errors, "message": words(job.failure) if job.failure else None}
