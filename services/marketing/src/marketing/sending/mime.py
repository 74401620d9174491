"""Campaign mail as bytes, written directly: a multipart/alternative message (text and HTML, UTF-8 in
base64), headers in RFC 2047 encoded words where they are not ASCII.

Python's `email` package folds and re-parses every header it is given, some 10 ms a mail; a campaign
sends the same shape a million times, so the shape is written once here and filled in.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence

CRLF = "\r\n"


def encoded(value: str) -> str:
    """A header value as is when it is printable ASCII, else as UTF-8 encoded words folded onto lines."""
    if value.isascii() and value.isprintable():
        return value
    words, chunk = [], b""
    for char in value:
        data = char.encode()
        if len(chunk) + len(data) > 39:  # a 64-character word: the first line stays within 78
            words.append(chunk)
            chunk = b""
        chunk += data
    words.append(chunk)
    return (CRLF + " ").join(f"=?utf-8?b?{base64.b64encode(w).decode()}?=" for w in words if w)


def address(name: str, mail: str) -> str:
    if not name:
        return mail
    if name.isascii() and name.isprintable():
        quoted = name.replace("\\", "\\\\").replace('"', '\\"')
        return f'"{quoted}" <{mail}>'
    return f"{encoded(name)} <{mail}>"


def _part(kind: str, body: str) -> str:
    lines = base64.encodebytes(body.encode()).decode().replace("\n", CRLF)
    return f'Content-Type: text/{kind}; charset="utf-8"{CRLF}Content-Transfer-Encoding: base64{CRLF}{CRLF}{lines}'


def message(headers: Sequence[tuple[str, str]], text: str, html: str, boundary: str) -> bytes:
    """The mail: `headers` (values already encoded where needed), then the text and HTML alternatives."""
    head = "".join(f"{name}: {value}{CRLF}" for name, value in headers)
    return (
        f"{head}MIME-Version: 1.0{CRLF}"
        f'Content-Type: multipart/alternative; boundary="{boundary}"{CRLF}{CRLF}'
        f"--{boundary}{CRLF}{_part('plain', text)}"
        f"--{boundary}{CRLF}{_part('html', html)}"
        f"--{boundary}--{CRLF}"
    ).encode()
