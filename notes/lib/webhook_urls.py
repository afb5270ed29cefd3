"""Which addresses a webhook may be sent to: the one rule registration and delivery both ask.

A webhook makes the server send requests to an address someone typed, so a careless rule
turns it into a way to reach what only the server can reach (a database port on loopback,
the cloud's metadata service on a link-local address, the office network). The rule is
about where the host name RESOLVES, not how it is spelled: ``127.0.0.1.nip.io`` or a
decimal ``2130706433`` are loopback too. Delivery asks again before every request and
connects to the address it checked, so a name that resolves elsewhere later (DNS
rebinding) cannot slip past the check made at registration.

``allow_private`` (the ``WEBHOOKS_ALLOW_PRIVATE_URLS`` setting) lets plain http and
private addresses through, for tests and for a wiki whose receivers live on its own network.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

MAX_WEBHOOK_URL_LENGTH = 2000


class WebhookUrlRefused(ValueError):
    """No webhook may go to this address; the message says why, in words a user can read."""


@dataclass(frozen=True)
class CheckedUrl:
    """A URL that passed the rule, and the address to connect to (the first that resolved)."""

    scheme: str
    host: str
    port: int
    path: str  # with the query string, as the request line sends it
    address: str

    @property
    def host_header(self) -> str:
        default = 443 if self.scheme == "https" else 80
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == default else f"{host}:{self.port}"


def address_is_public(address: str) -> bool:
    """True for an address on the public internet; False for loopback, private, link-local,
    multicast, reserved, unspecified and shared (carrier-grade NAT) ones."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone index names a private link
    if isinstance(ip, ipaddress.IPv6Address):
        # An IPv4 address written as IPv6 goes where the IPv4 address goes.
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None:
            return address_is_public(str(embedded))
    return ip.is_global and not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def webhook_url_checked(url: str, *, allow_private: bool = False, resolve=None) -> CheckedUrl:
    """``url`` taken apart and its host resolved, or WebhookUrlRefused saying why not.

    ``resolve`` is ``socket.getaddrinfo`` (looked up at call time, so tests can replace it).
    Every address the name resolves to must be allowed: a name with one public and one
    private address is refused, since the connection could go to either.
    """
    url = (url or "").strip()
    if not url:
        raise WebhookUrlRefused("Enter the address the webhooks go to, starting with https://.")
    if len(url) > MAX_WEBHOOK_URL_LENGTH:
        raise WebhookUrlRefused(
            f"The address is {len(url)} characters long; the limit is {MAX_WEBHOOK_URL_LENGTH}."
        )
    if any(character.isspace() or ord(character) < 32 for character in url):
        raise WebhookUrlRefused("The address contains spaces or control characters.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise WebhookUrlRefused("That is not a valid address (check the port number).") from None
    scheme = parts.scheme.lower()
    allowed_schemes = ("https", "http") if allow_private else ("https",)
    if scheme not in allowed_schemes:
        raise WebhookUrlRefused("Webhooks go to https:// addresses only.")
    if parts.username is not None or parts.password is not None:
        raise WebhookUrlRefused(
            "Put no user name or password in the address: receivers check the signature instead."
        )
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise WebhookUrlRefused("The address needs a host name, as in https://hooks.example.com/wiki.")
    if port == 0:
        raise WebhookUrlRefused("Port 0 is not a port a receiver can listen on.")
    port = port or (443 if scheme == "https" else 80)
    try:
        found = (resolve or socket.getaddrinfo)(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise WebhookUrlRefused(f"The host name “{host}” does not resolve to any address.") from None
    addresses = list(dict.fromkeys(info[4][0] for info in found))
    if not addresses:
        raise WebhookUrlRefused(f"The host name “{host}” does not resolve to any address.")
    if not allow_private:
        for address in addresses:
            if not address_is_public(address):
                raise WebhookUrlRefused(
                    f"“{host}” resolves to {address}, a private, loopback or reserved address; "
                    "webhooks go to public addresses only."
                )
    path = parts.path or "/"
    if parts.query:
        path += f"?{parts.query}"
    return CheckedUrl(scheme=scheme, host=host, port=port, path=path, address=addresses[0])
