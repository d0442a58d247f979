"""Where a webhook may be sent: public internet addresses only (no request forgery).

A coordinator names the endpoint, so an endpoint must not make the server call what only
the server can reach: this machine (loopback), the private networks it sits in, link-local
addresses (the cloud's metadata service, 169.254.169.254, hands out credentials there),
multicast, and every reserved or special-purpose range. An IPv6 address that carries an
IPv4 one (IPv4-mapped ::ffff:a.b.c.d, IPv4-compatible ::a.b.c.d, NAT64 64:ff9b::/96, 6to4
2002::/16) is judged by the IPv4 address it carries.

Checked twice: when the endpoint is registered (a message beside the field), and at every
delivery against the addresses the name resolves to then, since a name can resolve to a
public address at registration and to a private one later (DNS rebinding). The sender
resolves once, vets every address, and connects to a vetted one itself (sender.py), keeping
the name for TLS (SNI, the certificate) and the Host header.

Loopback is allowed only with WEBHOOK_ALLOW_LOOPBACK (the tests' receiver on 127.0.0.1);
it is off by default and the deploy check webhooks.E001 refuses it in production.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

# Cloud metadata services (AWS, GCP and Azure on 169.254.169.254, AWS's IPv6 one, Alibaba's,
# Oracle's): named so the message says what the address is.
METADATA = {
    ipaddress.ip_address(address)
    for address in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200", "192.0.0.192")
}
METADATA_NAMES = {"metadata", "metadata.google.internal", "instance-data"}

_SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT (RFC 6598)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_PRIVATE = [
    ipaddress.ip_network(network)
    for network in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7")
]  # and IPv6's deprecated site-local fec0::/10


class Refused(Exception):
    """A delivery may not go there; the message says why, for the coordinator."""


def carried_ipv4(address: Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for, if it carries one."""
    if isinstance(address, ipaddress.IPv4Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64 or (int(address) >> 32 == 0 and int(address) > 1):
        # NAT64, or the deprecated IPv4-compatible ::a.b.c.d (:: and ::1 are themselves).
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def refusal(address: Address, *, allow_loopback: bool | None = None) -> str | None:
    """Why no delivery may go to `address` (a phrase: "a loopback address"), or None."""
    if allow_loopback is None:
        allow_loopback = settings.WEBHOOK_ALLOW_LOOPBACK
    address = carried_ipv4(address) or address
    if address in METADATA:
        return "a cloud metadata address"
    if address.is_loopback:
        return None if allow_loopback else "a loopback address (this server itself)"
    if address.is_unspecified:
        return "the unspecified address (this server itself)"
    if address.is_link_local:
        return "a link-local address"
    if address.is_multicast:
        return "a multicast address"
    site_local = isinstance(address, ipaddress.IPv6Address) and address.is_site_local
    if site_local or any(address in network for network in _PRIVATE):
        return "a private network address"
    if address in _SHARED:
        return "a shared (carrier-grade NAT) address"
    if address.is_reserved or address.is_private or not address.is_global:
        return "a reserved or special-purpose address"
    return None


def literal(host: str) -> Address | None:
    """`host` as an IP address when it is one, in any form the resolver reads as one
    (127.1, 2130706433, 0x7f000001: inet_aton's shorthand), else None (a name)."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def resolve(host: str, port: int) -> list[Address]:
    """Every address `host` resolves to now (its own one when it is an address). Raises
    socket.gaierror when the name does not resolve."""
    address = literal(host)
    if address is not None:
        return [address]
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    addresses: list[Address] = []
    for _family, _type, _proto, _name, sockaddr in found:
        # An IPv6 sockaddr may carry a zone ("fe80::1%eth0"): link-local, refused anyway.
        address = ipaddress.ip_address(str(sockaddr[0]).split("%")[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


def name_refusal(host: str) -> str | None:
    """Names that only ever mean something inside: localhost and its subdomains, the
    metadata services' names."""
    name = host.lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return None if settings.WEBHOOK_ALLOW_LOOPBACK else "this server itself (localhost)"
    if name in METADATA_NAMES:
        return "a cloud metadata service"
    return None


def vetted(host: str, port: int) -> list[Address]:
    """The addresses a delivery to `host` may connect to: all it resolves to, each vetted.
    Raises Refused when any of them is refused (a name that resolves to a public and a
    private address is refused whole: which one a connection gets is the resolver's
    choice), and socket.gaierror when the name does not resolve."""
    problem = name_refusal(host)
    if problem:
        raise Refused(f"{host} is {problem}.")
    addresses = resolve(host, port)
    if not addresses:
        raise Refused(f"{host} resolves to no address.")
    for address in addresses:
        problem = refusal(address)
        if problem:
            shown = host if str(address) == host else f"{host} ({address})"
            raise Refused(f"{shown} is {problem}.")
    return addresses


def is_loopback_host(host: str) -> bool:
    if host.lower().rstrip(".") == "localhost":
        return True
    address = literal(host)
    return address is not None and (carried_ipv4(address) or address).is_loopback


def scheme_problem(url: str) -> str | None:
    """Why `url`'s form cannot receive deliveries, or None. HTTPS only: a delivery is signed,
    not secret, and a receiver must know it talks to us. Plain HTTP only to this machine's
    loopback, where WEBHOOK_ALLOW_LOOPBACK is on (the tests' receiver)."""
    parts = urlsplit(url)
    try:
        parts.port  # noqa: B018 (raises on a port out of range)
    except ValueError:
        return "Give a port between 1 and 65535."
    if parts.username is not None or parts.password is not None:
        return "Give the address without a user name or password: deliveries are signed."
    host = parts.hostname or ""
    if parts.scheme == "https" and host:
        return None
    if parts.scheme == "http" and settings.WEBHOOK_ALLOW_LOOPBACK and is_loopback_host(host):
        return None
    return "Give an https:// address: deliveries are only sent over HTTPS."
