"""The caller's address, believed from X-Forwarded-For only as far as trusted proxies vouch for it.

The gateway writes the address it saw (or its own trusted proxies vouched for) into
X-Forwarded-For. A service walks the header from the right, starting at its direct peer: each hop
is taken only while the peer before it is a trusted proxy (`CRM_TRUSTED_PROXIES`), so a client
talking to a service directly cannot choose the address it is counted under.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from fastapi import Request

Networks = Sequence[ipaddress.IPv4Network | ipaddress.IPv6Network]


def _ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(value.strip().strip("[]"))
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)  # ::ffff:10.0.0.1 is 10.0.0.1
    return mapped or address


def resolve(peer: str | None, forwarded: str | None, trusted: Networks) -> str:
    """The client address: the right-most hop of `forwarded` not vouched for by a trusted proxy."""
    current = _ip(peer or "")
    if current is None:
        return peer or "unknown"
    hops = [hop for hop in (forwarded or "").split(",") if hop.strip()]
    while hops and any(current in network for network in trusted):
        hop = _ip(hops.pop())
        if hop is None:  # garbage after a trusted proxy: stop at the last address we can vouch for
            break
        current = hop
    return str(current)


def client_address(request: Request) -> str:
    """The address per-address limits and the audit trail count a request under."""
    peer = request.client.host if request.client else None
    return resolve(peer, request.headers.get("x-forwarded-for"), request.app.state.platform.proxies)


def bucket(address: str) -> str:
    """What a per-address limit counts: an IPv6 address by its /64, which one subscriber usually holds whole."""
    ip = _ip(address)
    if isinstance(ip, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip) if ip else address
