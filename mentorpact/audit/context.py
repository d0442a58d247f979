"""The client address of the request being served (set by audit.middleware), so services
record it without every call passing the request down."""

from contextvars import ContextVar, Token

from django.http import HttpRequest

from mentorpact.lib.http import client_address

_client_ip: ContextVar[str | None] = ContextVar("audit_client_ip", default=None)


def client_ip() -> str | None:
    return _client_ip.get()


def request_ip(request: HttpRequest) -> str | None:
    # The client's address, read through TRUSTED_PROXIES like the throttles' (lib.http).
    return client_address(request)


def set_client_ip(ip: str | None) -> Token[str | None]:
    return _client_ip.set(ip)


def reset_client_ip(token: Token[str | None]) -> None:
    _client_ip.reset(token)
