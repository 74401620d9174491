"""Outgoing HTTP clients that share one TLS context: httpx builds its default one from the CA bundle for every
client, hundreds of milliseconds of CPU on a busy machine, which a client made per call pays per call.

A client for addresses users name (`public`: webhooks) reaches the public internet only, and the networks an
operator allows: a rule must not post to the cluster's own services or to a cloud's metadata address.
"""

from __future__ import annotations

import asyncio
import functools
import ipaddress
import socket
import ssl
from collections.abc import Sequence
from typing import Any

import httpx

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@functools.cache
def tls() -> ssl.SSLContext:
    """httpx's default context (the CA bundle, or `SSL_CERT_FILE`), built once per process."""
    return httpx.create_ssl_context()


def client(timeout: float, **options: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(timeout=timeout, verify=tls(), **options)


class DestinationRefused(httpx.TransportError):
    """The address a user named resolves to one that is neither public nor allowed: nothing was sent."""


def allowed(address: str, networks: Sequence[Network]) -> bool:
    """Whether an IP address may be sent to: a public one, or one of `networks`."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 address's zone is not part of it
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global or any(ip in network for network in networks)


class _PublicOnly(httpx.AsyncHTTPTransport):
    """Resolves each request's host first and refuses it when any of its addresses is not allowed (a name that
    resolves to both a public and a private address is refused too)."""

    def __init__(self, networks: Sequence[Network], **options: Any) -> None:
        super().__init__(**options)
        self.networks = networks

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        host, port = request.url.host, request.url.port or (443 if request.url.scheme == "https" else 80)
        try:
            found = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as exc:
            raise httpx.ConnectError(f"{host}: {exc}", request=request) from exc
        refused = sorted({str(info[4][0]) for info in found if not allowed(str(info[4][0]), self.networks)})
        if refused:
            named = host if refused == [host] else f"{host} ({refused[0]})"
            raise DestinationRefused(f"{named} is not a public address", request=request)
        return await super().handle_async_request(request)


def public(timeout: float, networks: Sequence[Network] = (), **options: Any) -> httpx.AsyncClient:
    """A client for addresses users name, which reaches public addresses and `networks` only."""
    transport = _PublicOnly(networks, verify=tls(), limits=options.pop("limits", httpx.Limits()))
    return httpx.AsyncClient(timeout=timeout, transport=transport, **options)
