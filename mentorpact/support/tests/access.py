"""Objects the access matrix (mentorpact/tests/test_access_matrix.py) probes the support URLs
with: Theo's open concern on the persona partnership, made once per test case (or set on it
beforehand, as the canary test does)."""

from mentorpact.support import services
from mentorpact.support.models import HelpRequest


def theos_request(t) -> HelpRequest:
    if not hasattr(t, "support_request"):
        t.support_request = services.raise_request(
            partnership=t.partnership,
            user=t.theo,
            kind=HelpRequest.Kind.CONCERN,
            message="We keep missing each other.",
            partner_may_know=False,
        )
    return t.support_request


def request_kwargs(t) -> dict:
    return {"request_id": theos_request(t).public_id}
