"""Outgoing HTTP clients that share one TLS context: httpx builds its default one from the CA bundle for every
client, hundreds of milliseconds of CPU on a busy machine, which a client made per call pays per call."""

from __future__ import annotations

import functools
import ssl
from typing import Any

import httpx


@functools.cache
def tls() -> ssl.SSLContext:
    """httpx's default context (the CA bundle, or `SSL_CERT_FILE`), built once per process."""
    return httpx.create_ssl_context()


def client(timeout: float, **options: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(timeout=timeout, verify=tls(), **options)
