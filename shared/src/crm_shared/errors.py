"""Typed domain errors; transports map them to GraphQL `extensions.code` and problem+json."""

from typing import Any

from crm_shared.i18n import entity_name, translate

RETRY_AFTER_SECONDS = 5  # what a client told SERVICE_UNAVAILABLE waits before trying again


class DomainError(Exception):
    """An error the caller can act on; `key` names a message in the i18n catalogue."""

    code = "INTERNAL"
    status = 500
    key = "internal"

    def __init__(self, key: str | None = None, *, field: str | None = None, **params: Any) -> None:
        self.key = key or self.key
        self.field = field
        self.params = params
        super().__init__(translate(self.key, "en", **self._params()))

    def _params(self) -> dict[str, Any]:
        return {"field": self.field, **self.params} if self.field else self.params

    def message(self, locale: str | None = None) -> str:
        return translate(self.key, locale, **self._params())

    def extensions(self) -> dict[str, Any]:
        ext: dict[str, Any] = {"code": self.code}
        if self.field:
            ext["field"] = self.field
        ext.update({k: v for k, v in self.params.items() if isinstance(v, int | float | str | bool)})
        return ext


class Unauthenticated(DomainError):
    code, status, key = "UNAUTHENTICATED", 401, "unauthenticated"


class Forbidden(DomainError):
    code, status, key = "FORBIDDEN", 403, "forbidden"


class NotFound(DomainError):
    code, status, key = "NOT_FOUND", 404, "not_found"

    def message(self, locale: str | None = None) -> str:
        """The record named as people call it in their language (工单, not Ticket); `extensions` keep the model's."""
        entity = str(self.params.get("entity", ""))
        return translate(self.key, locale, **{**self._params(), "entity": entity_name(entity, locale)})


class BadInput(DomainError):
    code, status, key = "BAD_USER_INPUT", 422, "invalid_field"


class TooLarge(BadInput):
    """Bad input refused for its size alone; REST answers 413."""

    status, key = 413, "file_too_large"


class Conflict(DomainError):
    code, status, key = "CONFLICT", 409, "conflict"


class TooManyRequests(DomainError):
    code, status, key = "TOO_MANY_REQUESTS", 429, "too_many_requests"


class NotYetApplicable(Exception):
    """An event handler's answer when the event needs one that has not arrived yet: it is kept, not lost."""
