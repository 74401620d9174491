"""Column mapping: which file column fills which field (Chinese and English headers recognised)."""

from __future__ import annotations

from typing import Any

from crm_shared.errors import BadInput


def resolve(headers: list[str], explicit: Any, writer: Any) -> dict[str, str]:
    """{column: field}; explicit entries (an object of column names to field names) win, the rest are recognised
    from the header text."""
    if explicit is not None and (
        not isinstance(explicit, dict) or not all(isinstance(field, str) for field in explicit.values())
    ):
        raise BadInput("mapping_object", field="mapping")
    mapping: dict[str, str] = {}
    for header in headers:
        guess = writer.headers.get(header) or (header.lower() if header.lower() in writer.fields else None)
        if guess:
            mapping[header] = guess
    for column, field in (explicit or {}).items():
        if field not in writer.fields and not field.startswith("custom."):
            raise BadInput("mapping_unknown_field", field="mapping", column=column, name=field)
        if column not in headers:
            raise BadInput("mapping_unknown_column", field="mapping", column=column)
        mapping[column] = field
    if writer.required not in mapping.values():
        raise BadInput("mapping_required", field="mapping", name=writer.required)
    return mapping
