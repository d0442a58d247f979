"""How a delivery is signed, and how a receiver checks it (README, "Webhooks").

The header `Mentorpact-Signature: t=<unix seconds>,v1=<hex>` carries the time of sending and
HMAC-SHA256, keyed by the endpoint's secret, over `<t>.<the raw body>`. A receiver recomputes
it over the bytes it received, compares in constant time, and refuses a `t` more than
WEBHOOK_TOLERANCE_SECONDS (5 minutes) from its own clock: a captured delivery replayed later
fails. Each delivery's id (`Mentorpact-Delivery`, also in the body) is the same on every
retry, so a receiver that keeps the ids it has seen takes each one once.
"""

import hashlib
import hmac
import secrets


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify(secret: str, header: str, body: bytes, *, now: int, tolerance: int) -> bool:
    """What a receiver does (and the tests do): the signature matches and is recent."""
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(parts.get("t", ""))
    except ValueError:
        return False
    if abs(now - timestamp) > tolerance:
        return False
    expected = signature(secret, timestamp, body).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))
