"""What a client for addresses users name (webhooks) may reach."""

import asyncio

import pytest

from crm_shared.config import proxy_networks
from crm_shared.http import outgoing
from crm_shared.http.outgoing import allowed


def test_only_public_addresses_and_the_networks_an_operator_names_are_reached():
    for address in (
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.9",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "::1",
        "fe80::1%eth0",
        "fd00::1",
        "::ffff:127.0.0.1",
    ):
        assert not allowed(address, ()), address
    assert allowed("8.8.8.8", ()) and allowed("2001:4860:4860::8888", ())
    assert allowed("127.0.0.1", proxy_networks("127.0.0.0/8,::1/128"))
    assert allowed("::ffff:127.0.0.1", proxy_networks("127.0.0.0/8"))
    assert not allowed("169.254.169.254", proxy_networks("127.0.0.0/8,::1/128"))


class _Server:
    """An HTTP server on one loopback address that answers its own name and counts its connections."""

    def __init__(self, name: str) -> None:
        self.name, self.connections = name, 0

    async def start(self, host: str, port: int = 0) -> int:
        self.server = await asyncio.start_server(self._answer, host, port)
        return self.server.sockets[0].getsockname()[1]

    async def _answer(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        await reader.readuntil(b"\r\n\r\n")
        body = self.name.encode()
        writer.write(b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
        await writer.drain()
        writer.close()


@pytest.fixture
async def servers():
    """`checked` on 127.0.0.2 and `rebound` on 127.0.0.1, at the same port: where `localhost` really goes."""
    checked, rebound = _Server("checked"), _Server("rebound")
    port = await checked.start("127.0.0.2")
    await rebound.start("127.0.0.1", port)
    yield port, checked, rebound
    for server in (checked, rebound):
        server.server.close()
        await server.server.wait_closed()


def _resolver(monkeypatch, *answers: list[str]) -> list[str]:
    """Makes the module's resolver give `answers` in turn (the last one from then on); returns the names asked."""
    asked: list[str] = []

    async def resolve(host: str, port: int) -> list[str]:
        asked.append(host)
        return answers[min(len(asked), len(answers)) - 1]

    monkeypatch.setattr(outgoing, "resolve", resolve)
    return asked


async def test_a_request_connects_to_the_address_that_was_checked_not_to_a_second_answer(monkeypatch, servers):
    """A hostile DNS server answers an allowed address to the check and loopback to any later question: the
    connection goes to the checked address, and the name is asked once."""
    port, checked, rebound = servers
    asked = _resolver(monkeypatch, ["127.0.0.2"], ["127.0.0.1"])
    async with outgoing.public(5, proxy_networks("127.0.0.2/32")) as client:
        response = await client.get(f"http://localhost:{port}/hook")
    assert (response.status_code, response.text, asked) == (200, "checked", ["localhost"])
    assert (checked.connections, rebound.connections) == (1, 0)


async def test_a_name_with_any_address_that_is_not_allowed_is_refused_before_anything_is_sent(monkeypatch, servers):
    port, checked, rebound = servers
    _resolver(monkeypatch, ["127.0.0.2", "169.254.169.254"])
    async with outgoing.public(5, proxy_networks("127.0.0.2/32")) as client:
        with pytest.raises(outgoing.DestinationRefused) as refused:
            await client.post(f"http://rebinding.example:{port}/hook", content=b"{}")
    assert str(refused.value) == "rebinding.example (169.254.169.254) is not a public address"
    assert refused.value.request.url == f"http://rebinding.example:{port}/hook"
    assert (checked.connections, rebound.connections) == (0, 0)
