"""Column mapping: which file column fills which account field (Chinese and English headers known)."""

from __future__ import annotations

from crm_shared.errors import BadInput

FIELDS = ("name", "industry", "size", "province", "city", "address", "website", "level", "source", "tags", "phone",
          "email")  # fmt: skip
KNOWN_HEADERS = {
    "客户名称": "name", "公司名称": "name", "名称": "name", "行业": "industry", "规模": "size", "省份": "province",
    "城市": "city", "地址": "address", "网站": "website", "等级": "level", "客户等级": "level", "来源": "source",
    "标签": "tags", "电话": "phone", "手机": "phone", "邮箱": "email",
}  # fmt: skip


def resolve(headers: list[str], explicit: dict[str, str] | None) -> dict[str, str]:
    """{column: field}; explicit entries win, the rest are recognised from the header text."""
    mapping: dict[str, str] = {}
    for header in headers:
        guess = KNOWN_HEADERS.get(header) or (header.lower() if header.lower() in FIELDS else None)
        if guess:
            mapping[header] = guess
    for column, field in (explicit or {}).items():
        if field not in FIELDS and not field.startswith("custom."):
            raise BadInput(field="mapping", reason=f"{column}: unknown field {field}")
        if column not in headers:
            raise BadInput(field="mapping", reason=f"no column named {column}")
        mapping[column] = field
    if "name" not in mapping.values():
        raise BadInput(field="mapping", reason="a column must map to name")
    return mapping
