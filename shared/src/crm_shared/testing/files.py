"""Real spreadsheet files for import tests, the hostile ones included, built in the test."""

from __future__ import annotations

import io
import re
import struct
import zipfile
from collections.abc import AsyncIterator, Sequence

from openpyxl import Workbook

SHEET = "xl/worksheets/sheet1.xml"


def xlsx(rows: Sequence[Sequence[object]]) -> bytes:
    """A workbook whose first sheet holds `rows`."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rebuilt(workbook: bytes, replace: dict[str, bytes | None]) -> bytes:
    """`workbook` with members replaced (None drops one)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = replace.get(info.filename, source.read(info.filename))
            if body is not None:
                target.writestr(info.filename, body)
    return out.getvalue()


def zip_bomb(unpacked: int) -> bytes:
    """A valid workbook whose sheet unpacks to about `unpacked` bytes (mostly an XML comment of one letter,
    so it packs about 1000:1), written member by member so the test never holds it unpacked."""
    source = xlsx([["name"], ["x"]])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as original, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in original.infolist():
            body = original.read(info.filename)
            if info.filename != SHEET:
                target.writestr(info.filename, body)
                continue
            opening, rest = body.split(b"<sheetData>", 1)
            with target.open(SHEET, "w", force_zip64=True) as member:
                member.write(opening + b"<!--")
                chunk = b"A" * (1 << 20)
                for _ in range(unpacked >> 20):
                    member.write(chunk)
                member.write(b"--><sheetData>" + rest)
    return out.getvalue()


def entity_bomb(levels: int = 9) -> bytes:
    """A workbook whose sheet declares entities each ten of the one before ("billion laughs") and puts the
    last in a cell: some 10**levels characters if a parser expanded them."""
    source = xlsx([["name"], ["x"]])
    with zipfile.ZipFile(io.BytesIO(source)) as original:
        sheet = original.read(SHEET).decode()
    entities = ['<!ENTITY e0 "lol">'] + [f'<!ENTITY e{n} "{f"&e{n - 1};" * 10}">' for n in range(1, levels + 1)]
    bomb = f"<!DOCTYPE worksheet [{''.join(entities)}]>{sheet.replace('>x<', f'>&e{levels};<')}"
    return _rebuilt(source, {SHEET: bomb.encode()})


def understated(workbook: bytes, member: str = SHEET, size: int = 10) -> bytes:
    """`workbook` whose zip directory claims `member` unpacks to `size` bytes (a bomb hiding its size)."""
    data = bytearray(workbook)
    name = member.encode()
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        for found in re.finditer(re.escape(signature), bytes(data)):
            start = found.start()
            header = 30 if signature == b"PK\x03\x04" else 46
            name_length = struct.unpack_from("<H", data, start + (26 if header == 30 else 28))[0]
            if bytes(data[start + header : start + header + name_length]) == name:
                struct.pack_into("<I", data, start + offset, size)
    return bytes(data)


def without_sheets(workbook: bytes) -> bytes:
    """`workbook` with its worksheets removed from the package and from the workbook's list."""
    with zipfile.ZipFile(io.BytesIO(workbook)) as source:
        book = source.read("xl/workbook.xml")
    emptied = re.sub(rb"<sheets>.*</sheets>", b"<sheets/>", book, flags=re.S)
    return _rebuilt(workbook, {"xl/workbook.xml": emptied, SHEET: None})


def multipart_head(boundary: str, file_name: str, content_type: str = "text/csv") -> bytes:
    return (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{file_name}"\r\n'
        f"Content-Type: {content_type}\r\n\r\n"
    ).encode()


class EndlessUpload:
    """A multipart upload of `size` bytes sent in 1 MiB chunks, counting how many the server asked for."""

    def __init__(self, size: int, boundary: str = "crm-test-boundary", file_name: str = "big.csv") -> None:
        self.size, self.boundary, self.file_name = size, boundary, file_name
        self.sent = 0

    @property
    def content_type(self) -> str:
        return f"multipart/form-data; boundary={self.boundary}"

    async def __aiter__(self) -> AsyncIterator[bytes]:
        head = multipart_head(self.boundary, self.file_name)
        self.sent += len(head)
        yield head
        line = "客户名称,行业\n".encode() + b"x" * 1000 + b",y\n"
        chunk = line * ((1 << 20) // len(line))
        while self.sent < self.size:
            self.sent += len(chunk)
            yield chunk
        yield f"\r\n--{self.boundary}--\r\n".encode()
