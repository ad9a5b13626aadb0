"""Absolute addresses (tenants/addresses.py): a partnership's host and the bare platform domain,
written the same way, the port shown only when it is not the scheme's own."""

import pytest

from tenants.addresses import partnership_primary_host, partnership_url, platform_url


@pytest.mark.parametrize(
    ("scheme", "port", "origin"),
    [
        ("https", "", "https://{host}"),
        ("https", "443", "https://{host}"),
        ("http", "80", "http://{host}"),
        ("http", "8000", "http://{host}:8000"),
        ("https", "8443", "https://{host}:8443"),
    ],
)
def test_both_hosts_are_written_alike(croydon, settings, scheme, port, origin):
    settings.PLATFORM_SCHEME, settings.PLATFORM_PORT = scheme, port
    settings.PLATFORM_DOMAIN = "safeguard.example"
    host = partnership_primary_host(partnership=croydon)
    assert host.startswith("croydon.")
    assert platform_url("/library/") == origin.format(host="safeguard.example") + "/library/"
    assert partnership_url(partnership=croydon, path="/reviews/") == (
        origin.format(host=host) + "/reviews/"
    )


def test_a_partnership_address_may_name_its_own_scheme_and_port(croydon, settings):
    settings.PLATFORM_SCHEME, settings.PLATFORM_PORT = "https", ""
    host = partnership_primary_host(partnership=croydon)
    assert partnership_url(partnership=croydon, scheme="http", port="8000") == (
        f"http://{host}:8000/"
    )
