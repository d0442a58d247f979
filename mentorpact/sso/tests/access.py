"""Objects the access matrix probes single sign-on's URLs with, made once per test case."""

from mentorpact.sso.models import Domain, Provider


def a_provider(t) -> Provider:
    """A provider at an address where nothing answers (the matrix makes no sign-in): its
    start and callback pages say what went wrong."""
    if not hasattr(t, "sso_provider"):
        t.sso_provider = Provider.objects.create(
            name="Nowhere University",
            issuer="http://127.0.0.1:9/o",
            client_id="nowhere",
            secret_variable="SSO_NOWHERE_SECRET",
        )
        Domain.objects.create(provider=t.sso_provider, domain="nowhere.example")
    return t.sso_provider


def provider_kwargs(t) -> dict:
    return {"provider_id": a_provider(t).public_id}
