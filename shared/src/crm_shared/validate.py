"""Validation and normalisation of what people type, shared by every service: errors name the field."""

from __future__ import annotations

import re

from email_validator import EmailNotValidError, validate_email

from crm_shared.errors import BadInput

NON_DIGIT = re.compile(r"\D")


def required_text(value: str | None, field: str, maximum: int) -> str:
    text = (value or "").strip()
    if not text:
        raise BadInput("required_field", field=field)
    if len(text) > maximum:
        raise BadInput(field=field, reason=f"at most {maximum} characters")
    return text


def optional_text(value: str | None, field: str, maximum: int) -> str | None:
    if value is None or not value.strip():
        return None
    return required_text(value, field, maximum)


def choice(value: str | None, field: str, allowed: tuple[str, ...]) -> str | None:
    if value is None or value == "":
        return None
    if value not in allowed:
        raise BadInput(field=field, reason=f"one of {', '.join(allowed)}")
    return value


def phone(value: str | None, field: str = "phone") -> str | None:
    """Digits only, China's +86 prefix dropped; 7 to 15 digits."""
    if value is None or not value.strip():
        return None
    digits = NON_DIGIT.sub("", value)
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if not 7 <= len(digits) <= 15:
        raise BadInput(field=field, reason="7-15 digits")
    return digits


def email(value: str | None, field: str = "email") -> str | None:
    if value is None or not value.strip():
        return None
    try:
        return validate_email(value.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise BadInput(field=field, reason=str(exc)) from exc
