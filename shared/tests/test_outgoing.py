"""What a client for addresses users name (webhooks) may reach."""

from crm_shared.config import proxy_networks
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
