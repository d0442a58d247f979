"""Objects the access matrix probes the token URLs with: one of Cora's API tokens."""

from mentorpact.accounts import services
from mentorpact.accounts.models import AccessToken


def coras_token(t) -> AccessToken:
    if not hasattr(t, "accounts_token"):
        t.accounts_token, _raw = services.create_access_token(
            user=t.cora, name="Reports", scope="read"
        )
    return t.accounts_token


def token_kwargs(t) -> dict:
    return {"token_id": coras_token(t).public_id}
