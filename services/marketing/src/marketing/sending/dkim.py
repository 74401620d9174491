"""DKIM signatures on campaign mail (RFC 6376, `dkimpy`), when a private key is configured.

Receivers check the signature against the public key published at `<selector>._domainkey.<domain>`;
signed mail is far less often filed as spam, and a forged campaign mail fails the check.
"""

from __future__ import annotations

from pathlib import Path

import dkim

from marketing.settings import MarketingSettings

SIGNED = (b"from", b"to", b"subject", b"date", b"message-id", b"list-unsubscribe", b"list-unsubscribe-post")


class Signer:
    def __init__(self, selector: str, domain: str, key: bytes) -> None:
        self.selector, self.domain, self.key = selector.encode(), domain.encode(), key

    def header(self, message: bytes) -> bytes:
        """The `DKIM-Signature` header line (with its CRLF) to put before the message."""
        head = message.split(b"\r\n\r\n", 1)[0].split(b"\r\n")
        names = {line.split(b":", 1)[0].strip().lower() for line in head if line[:1] not in (b" ", b"\t")}
        present = [h for h in SIGNED if h in names]
        return dkim.sign(message, self.selector, self.domain, self.key, include_headers=present)


def signer(settings: MarketingSettings) -> Signer | None:
    """The configured signer; None when no key is configured."""
    if not settings.dkim_key_path:
        return None
    domain = settings.dkim_domain or settings.mail_address.rpartition("@")[2]
    return Signer(settings.dkim_selector, domain, Path(settings.dkim_key_path).read_bytes())
