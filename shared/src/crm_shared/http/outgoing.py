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
from collections.abc import Iterable, Sequence
from typing import Any

import httpcore
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


async def resolve(host: str, port: int) -> list[str]:
    """The addresses `host` has, in the resolver's order."""
    found = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in found))


class _Checked(httpcore.AsyncNetworkBackend):
    """Resolves each connection's host once, refuses it when any of its addresses is not allowed (a name that
    resolves to both a public and a private address is refused too), and connects to those addresses only: a
    name resolved again to connect could answer another one (DNS rebinding). TLS still verifies the host's name."""

    def __init__(self, networks: Sequence[Network]) -> None:
        self.networks = networks
        self.network = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            addresses = await resolve(host, port)
        except OSError as exc:
            raise httpcore.ConnectError(f"{host}: {exc}") from exc
        refused = sorted(address for address in addresses if not allowed(address, self.networks))
        if refused:
            named = host if refused == [host] else f"{host} ({refused[0]})"
            raise DestinationRefused(f"{named} is not a public address")
        error: Exception = httpcore.ConnectError(f"{host} has no address")
        for address in addresses:
            try:
                return await self.network.connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        raise error

    async def sleep(self, seconds: float) -> None:
        await self.network.sleep(seconds)


class _PublicOnly(httpx.AsyncHTTPTransport):
    """httpx's transport over connections that `_Checked` opens."""

    def __init__(self, networks: Sequence[Network], limits: httpx.Limits) -> None:
        super().__init__(verify=tls(), limits=limits)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=tls(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=_Checked(networks),
        )


def public(timeout: float, networks: Sequence[Network] = (), **options: Any) -> httpx.AsyncClient:
    """A client for addresses users name, which reaches public addresses and `networks` only."""
    transport = _PublicOnly(networks, options.pop("limits", httpx.Limits()))
    return httpx.AsyncClient(timeout=timeout, transport=transport, **options)
