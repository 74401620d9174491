"""Rows of an uploaded CSV or XLSX file, streamed so memory stays flat whatever the file's size."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from crm_shared.errors import BadInput

FORMATS = ("csv", "xlsx")


def rows(path: Path, file_format: str) -> Iterator[dict[str, str]]:
    """Each data row as {header: text}; the first row holds the headers."""
    if file_format == "csv":
        yield from _csv(path)
    elif file_format == "xlsx":
        yield from _xlsx(path)
    else:
        raise BadInput(field="format", reason=", ".join(FORMATS))


def _csv(path: Path) -> Iterator[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        headers = [h.strip() for h in next(reader, [])]
        for values in reader:
            if any(v.strip() for v in values):
                yield dict(zip(headers, (v.strip() for v in values), strict=False))


def _xlsx(path: Path) -> Iterator[dict[str, str]]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        cells = sheet.iter_rows(values_only=True)
        headers = [str(h).strip() if h is not None else "" for h in next(cells, ())]
        for values in cells:
            texts = ["" if v is None else str(v).strip() for v in values]
            if any(texts):
                yield dict(zip(headers, texts, strict=False))
    finally:
        workbook.close()


def headers(path: Path, file_format: str) -> list[str]:
    first = next(rows(path, file_format), None)
    return list(first) if first else []
