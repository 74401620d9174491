"""CSV and XLSX files in and out, safe for every service that exports or imports.

Exports: a cell starting like a formula (`= + - @`, tab, CR) gets a leading apostrophe, as OWASP's
CSV-injection guidance asks, and XLSX cells are written as text, so no exported value runs in a
spreadsheet program; characters XML cannot hold are replaced, so no value can break an XLSX file.
Imports: a file is read whole once before its job starts (the unpacked size of an XLSX from its zip
directory, before anything is unpacked; the encoding; rows and columns), rows are read streaming,
and every flaw of the file answers BAD_USER_INPUT naming `content`, never a server error.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import zipfile
from collections.abc import AsyncIterable, AsyncIterator, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from crm_shared.config import PlatformSettings
from crm_shared.errors import BadInput, DomainError, TooLarge

log = logging.getLogger(__name__)

FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")  # a plain number never runs, so "-5" stays a number
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
MEMBERS = 10_000  # more parts than any workbook has
MB = 1 << 20


@dataclass(frozen=True)
class Limits:
    upload_bytes: int = 20 * MB
    unpacked_bytes: int = 100 * MB
    rows: int = 100_000
    columns: int = 200

    @classmethod
    def of(cls, platform: PlatformSettings) -> Limits:
        return cls(
            platform.upload_max_bytes,
            platform.import_max_unpacked_bytes,
            platform.import_max_rows,
            platform.import_max_columns,
        )


def megabytes(size: int) -> str:
    return f"{size / MB:g}"


def check_format(file_format: str, field: str = "format") -> str:
    if file_format not in FORMATS:
        raise BadInput("one_of", field=field, choices=", ".join(FORMATS))
    return file_format


def check_size(size: int, limit: int) -> None:
    if size > limit:
        raise TooLarge(field="content", limit=megabytes(limit))


# exports


def cell_text(value: object) -> str:
    """A value as exported text that no spreadsheet program reads as a formula.

    Apostrophes already in front of a formula-like value get one more, so `imported_text` gives back
    exactly what was exported.
    """
    text = "" if value is None else str(value)
    if text.lstrip("'").startswith(FORMULA_START) and not NUMBER.fullmatch(text):
        return "'" + text
    return text


async def csv_chunks(rows: AsyncIterable[Sequence[object]]) -> AsyncIterator[bytes]:
    """UTF-8 CSV with a BOM (so Excel reads Chinese text), in chunks of about 64 KB."""
    yield "\ufeff".encode()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    async for row in rows:
        writer.writerow([cell_text(value) for value in row])
        if buffer.tell() > 64_000:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


async def xlsx_bytes(rows: AsyncIterable[Sequence[object]], title: str = "export") -> bytes:
    """One sheet of text cells: never a formula, an error value or a character that breaks the file."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    async for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, XML_ILLEGAL.sub("\ufffd", cell_text(value)))
            cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# imports


def imported_text(value: str) -> str:
    """A cell's text as typed: trimmed, without characters no record may hold, and without the
    apostrophe an export put in front of a formula-like value."""
    text = XML_ILLEGAL.sub("", value).strip()
    if text.startswith("'") and text.lstrip("'").startswith(FORMULA_START):
        return text[1:]
    return text


def rows(path: Path, file_format: str, limits: Limits) -> Iterator[dict[str, str]]:
    """Each non-blank data row as {header: text}; the first row holds the headers."""
    records = _records(path, file_format, limits)
    headers = next(records, [])
    for values in records:
        yield dict(zip(headers, values, strict=False))


def check(path: Path, file_format: str, limits: Limits) -> list[str]:
    """The file's headers, after reading it whole: any flaw is found before an import starts."""
    records = _records(path, file_format, limits)
    headers = next(records, [])
    if not headers:
        raise BadInput("file_empty", field="content")
    for _ in records:
        pass
    return headers


def _records(path: Path, file_format: str, limits: Limits) -> Iterator[list[str]]:
    """The header row, then each non-blank row, within the limits; a flaw of the file names `content`."""
    source = _csv(path) if check_format(file_format) == "csv" else _xlsx(path, limits)
    count = 0
    try:
        for number, raw in enumerate(source, start=1):
            values = [imported_text(v) for v in raw]
            while values and not values[-1]:
                values.pop()
            if len(values) > limits.columns:
                raise BadInput("file_too_many_columns", field="content", row=number, limit=limits.columns)
            if count and not values:
                continue
            count += 1
            if count > limits.rows + 1:
                raise BadInput("file_too_many_rows", field="content", limit=limits.rows)
            yield values
    except DomainError:
        raise
    except UnicodeDecodeError as exc:
        raise BadInput("file_encoding", field="content") from exc
    except Exception as exc:  # whatever a damaged file makes a parser raise is the file's fault
        log.info("unreadable %s upload: %r", file_format, exc)
        raise BadInput("file_unreadable", field="content", format=file_format.upper()) from exc


def _csv(path: Path) -> Iterator[list[str]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        yield from csv.reader(handle)


def _xlsx(path: Path, limits: Limits) -> Iterator[list[str]]:
    """Rows of the first sheet, read streaming once the zip directory promises a bounded size.

    Python's zip reader stops each part at its declared size, so a part that lies about its size
    fails rather than unpacking further.
    """
    from openpyxl import load_workbook

    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
        if len(members) > MEMBERS or sum(m.file_size for m in members) > limits.unpacked_bytes:
            raise BadInput("file_unpacked_too_large", field="content", limit=megabytes(limits.unpacked_bytes))
    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        if not workbook.worksheets:
            raise BadInput("file_no_sheet", field="content")
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # a declared size could pad every row to thousands of empty cells
        for values in sheet.iter_rows(values_only=True):
            yield ["" if v is None else str(v) for v in values]
    finally:
        workbook.close()
