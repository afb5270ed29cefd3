"""The rule of where webhooks may go (notes.lib.webhook_urls), case by case."""

import socket

import pytest

from notes.lib.webhook_urls import WebhookUrlRefused, address_is_public, webhook_url_checked


def resolving_to(*addresses):
    """A stand-in for getaddrinfo that answers ``addresses`` for any name."""

    def resolve(host, port, **kwargs):
        return [
            (
                socket.AF_INET6 if ":" in address else socket.AF_INET,
                socket.SOCK_STREAM,
                6,
                "",
                (address, port),
            )
            for address in addresses
        ]

    return resolve


def not_resolving(host, port, **kwargs):
    raise socket.gaierror("Name or service not known")


@pytest.mark.parametrize(
    ("address", "is_public"),
    [
        ("93.184.216.34", True),
        ("2606:2800:220:1:248:1893:25c8:1946", True),
        ("127.0.0.1", False),
        ("127.8.9.10", False),
        ("::1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),  # the cloud metadata service
        ("fe80::1", False),
        ("fe80::1%eth0", False),
        ("fc00::1", False),
        ("224.0.0.1", False),
        ("ff02::1", False),
        ("0.0.0.0", False),  # noqa: S104 (an address checked, not bound)
        ("::", False),
        ("240.0.0.1", False),
        ("255.255.255.255", False),
        ("100.64.0.1", False),  # carrier-grade NAT
        ("192.0.2.1", False),  # documentation
        ("::ffff:127.0.0.1", False),  # IPv4-mapped loopback
        ("::ffff:10.0.0.1", False),
        ("::ffff:93.184.216.34", True),
        ("2002:7f00:0001::", False),  # 6to4 around 127.0.0.1
    ],
)
def test_an_address_is_public_only_when_it_is_on_the_internet(address, is_public):
    assert address_is_public(address) is is_public


def test_a_public_https_url_passes_and_keeps_its_path_query_and_host():
    checked = webhook_url_checked(
        "https://Hooks.Example.com:8443/in/wiki?team=books", resolve=resolving_to("93.184.216.34")
    )
    assert (checked.scheme, checked.host, checked.port) == ("https", "hooks.example.com", 8443)
    assert checked.path == "/in/wiki?team=books"
    assert checked.address == "93.184.216.34"
    assert checked.host_header == "hooks.example.com:8443"


def test_the_default_port_is_left_out_of_the_host_header():
    checked = webhook_url_checked("https://hooks.example.com", resolve=resolving_to("93.184.216.34"))
    assert (checked.port, checked.path, checked.host_header) == (443, "/", "hooks.example.com")


@pytest.mark.parametrize(
    ("url", "resolved", "message"),
    [
        ("", ("93.184.216.34",), "Enter the address"),
        ("http://hooks.example.com/", ("93.184.216.34",), "https:// addresses only"),
        ("ftp://hooks.example.com/", ("93.184.216.34",), "https:// addresses only"),
        ("javascript:alert(1)", ("93.184.216.34",), "https:// addresses only"),
        ("https:///no-host", ("93.184.216.34",), "needs a host name"),
        ("https://user:pass@hooks.example.com/", ("93.184.216.34",), "no user name or password"),
        ("https://hooks.example.com:99999/", ("93.184.216.34",), "not a valid address"),
        ("https://hooks.example.com/a b", ("93.184.216.34",), "spaces or control characters"),
        ("https://hooks.example.com/" + "a" * 2001, ("93.184.216.34",), "the limit is 2000"),
        ("https://localhost/", ("127.0.0.1",), "resolves to 127.0.0.1"),
        ("https://127.0.0.1/", ("127.0.0.1",), "resolves to 127.0.0.1"),
        ("https://2130706433/", ("127.0.0.1",), "resolves to 127.0.0.1"),
        ("https://[::1]/", ("::1",), "resolves to ::1"),
        ("https://metadata.internal/", ("169.254.169.254",), "resolves to 169.254.169.254"),
        ("https://intranet.example.com/", ("10.0.0.5",), "private, loopback or reserved"),
        # One public and one private address: the connection could go to either.
        ("https://both.example.com/", ("93.184.216.34", "192.168.0.2"), "resolves to 192.168.0.2"),
    ],
)
def test_a_url_that_could_reach_inside_is_refused_with_a_reason(url, resolved, message):
    with pytest.raises(WebhookUrlRefused, match=message):
        webhook_url_checked(url, resolve=resolving_to(*resolved))


def test_a_name_that_does_not_resolve_is_refused():
    with pytest.raises(WebhookUrlRefused, match="does not resolve"):
        webhook_url_checked("https://nowhere.invalid/", resolve=not_resolving)


def test_allowing_private_urls_lets_http_and_loopback_through():
    checked = webhook_url_checked(
        "http://127.0.0.1:8080/in", allow_private=True, resolve=resolving_to("127.0.0.1")
    )
    assert (checked.scheme, checked.address, checked.port, checked.path) == ("http", "127.0.0.1", 8080, "/in")


def test_allowing_private_urls_still_refuses_other_schemes_and_credentials():
    with pytest.raises(WebhookUrlRefused, match="https:// addresses only"):
        webhook_url_checked("file:///etc/passwd", allow_private=True, resolve=resolving_to("127.0.0.1"))
    with pytest.raises(WebhookUrlRefused, match="no user name"):
        webhook_url_checked("http://a:b@127.0.0.1/", allow_private=True, resolve=resolving_to("127.0.0.1"))


def test_the_system_resolver_is_asked_when_none_is_given(monkeypatch):
    monkeypatch.setattr(socket, "getaddrinfo", resolving_to("10.9.8.7"))
    with pytest.raises(WebhookUrlRefused, match="10.9.8.7"):
        webhook_url_checked("https://rebound.example.com/")
