"""The OpenID Connect relying party: Authlib does the protocol, this module fits it to a
configured Provider.

Authlib (authlib.integrations.django_client) makes the authorization request with a fresh
`state`, `nonce` and PKCE `code_verifier` (S256) kept in the session, and on the way back
checks the state, exchanges the code with the verifier, checks the ID token's signature
against the provider's published keys and its claims: issuer, audience (our client id),
expiry and issue time (two minutes' leeway for clocks), the nonce, and `at_hash`. What it
leaves to us, done here: the discovery document must name exactly the issuer the site
administrator configured (OpenID Connect Discovery 1.0, section 4.3), the ID token's issuer
must be that one too, and any failure becomes one `SignInFailed` with a reason for the audit
trail and a sentence for the person.
"""

import os
from dataclasses import dataclass
from typing import Any

import requests
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.django_client import DjangoOAuth2App
from authlib.integrations.django_client.integration import DjangoIntegration
from django.http import HttpRequest, HttpResponse
from joserfc.errors import ClaimError, ExpiredTokenError, JoseError

from mentorpact.sso.models import Provider

DISCOVERY_PATH = "/.well-known/openid-configuration"
# Seconds to wait for the provider (discovery, keys, the token exchange): a provider that
# hangs makes the person wait this long for the page that says so, never forever.
TIMEOUT = 10
SCOPES = "openid email profile"
REQUIRED_METADATA = ("authorization_endpoint", "token_endpoint", "jwks_uri")

# What the person reads for each reason a sign-in failed (the reason goes in the trail).
CLAIM_REASONS = {"iss": "issuer", "aud": "audience", "azp": "audience", "nonce": "nonce"}


@dataclass
class SignInFailed(Exception):
    reason: str  # for the audit trail: "state", "nonce", "issuer", "audience", "expired", ...
    message: str  # for the person


def discovery_url(issuer: str) -> str:
    return issuer.rstrip("/") + DISCOVERY_PATH


def client_for(provider: Provider) -> DjangoOAuth2App:
    """Authlib's client for this provider, its secret read from the environment now (an
    administrator who rotates it restarts nothing but the environment's holder)."""
    return DjangoOAuth2App(
        DjangoIntegration(f"sso-{provider.public_id.hex}"),
        name=f"sso-{provider.public_id.hex}",
        client_id=provider.client_id,
        client_secret=os.environ.get(provider.secret_variable, ""),
        server_metadata_url=discovery_url(provider.issuer),
        client_kwargs={
            "scope": SCOPES,
            "code_challenge_method": "S256",
            "default_timeout": TIMEOUT,
        },
    )


def discover(issuer: str, client: DjangoOAuth2App | None = None) -> dict[str, Any]:
    """The provider's discovery document, refused unless it names exactly `issuer` and the
    endpoints a sign-in needs. Raises SignInFailed with what went wrong."""
    url = discovery_url(issuer)
    try:
        if client is not None:
            metadata = client.load_server_metadata()
        else:
            response = requests.get(url, timeout=TIMEOUT)
            response.raise_for_status()
            metadata = response.json()
    except requests.HTTPError as error:
        status = error.response.status_code if error.response is not None else "an error"
        raise SignInFailed(
            "discovery",
            f"{url} answered HTTP {status}, not the provider's OpenID Connect discovery document.",
        ) from error
    except requests.RequestException as error:
        raise SignInFailed("unreachable", f"{url} could not be reached.") from error
    except ValueError as error:
        raise SignInFailed("discovery", f"{url} did not answer with JSON.") from error
    if not isinstance(metadata, dict):
        raise SignInFailed("discovery", f"{url} did not answer with a discovery document.")
    if metadata.get("issuer") != issuer:
        raise SignInFailed(
            "issuer",
            f"The provider says its issuer is {metadata.get('issuer')!r}, not {issuer!r}: "
            "the issuer must be exactly the one its discovery document names.",
        )
    missing = [key for key in REQUIRED_METADATA if not metadata.get(key)]
    if missing:
        raise SignInFailed(
            "discovery", f"The provider's discovery document names no {', '.join(missing)}."
        )
    return metadata


def authorize_redirect(request: HttpRequest, provider: Provider, redirect_uri: str) -> HttpResponse:
    """The redirect to the provider's sign-in, with state, nonce and the PKCE challenge
    kept in this session."""
    client = client_for(provider)
    discover(provider.issuer, client)
    try:
        return client.authorize_redirect(request, redirect_uri)
    except requests.RequestException as error:
        raise SignInFailed("unreachable", "The provider could not be reached.") from error


def complete(request: HttpRequest, provider: Provider) -> dict[str, Any]:
    """The provider's answer, checked: the ID token's claims (with `email` from the
    userinfo endpoint when the token has none). Raises SignInFailed."""
    client = client_for(provider)
    # A state this session did not start is refused before the provider is asked anything
    # (Authlib checks it again): a forged callback costs us no request.
    if request.GET.get("error") is None and (
        client.framework.get_state_data(request.session, request.GET.get("state", "")) is None
    ):
        raise SignInFailed(
            "state", "This sign-in was not started here, or it was already used. Start again."
        )
    discover(provider.issuer, client)
    try:
        token = client.authorize_access_token(
            request, claims_options={"iss": {"essential": True, "values": [provider.issuer]}}
        )
    except MismatchingStateError as error:
        raise SignInFailed(
            "state",
            "This sign-in was not started here, or it was already used. Start again.",
        ) from error
    except OAuthError as error:
        raise SignInFailed(
            "provider", f"The provider refused the sign-in ({error.error})."
        ) from error
    except ExpiredTokenError as error:
        raise SignInFailed("expired", "The provider's answer had expired. Start again.") from error
    except ClaimError as error:
        raise SignInFailed(
            CLAIM_REASONS.get(error.claim, "claims"),
            "The provider's answer was not meant for this site, or not for this sign-in.",
        ) from error
    except JoseError as error:
        raise SignInFailed("signature", "The provider's answer was not signed by it.") from error
    except requests.RequestException as error:
        raise SignInFailed("unreachable", "The provider could not be reached.") from error
    claims = token.get("userinfo")
    if not claims:
        raise SignInFailed("no_id_token", "The provider sent no ID token.")
    claims = dict(claims)
    if not claims.get("email"):
        try:
            claims.update({k: v for k, v in client.userinfo(token=token).items() if k != "sub"})
        except (OAuthError, requests.RequestException, ValueError) as error:
            raise SignInFailed(
                "no_email", "The provider did not say your email address."
            ) from error
    return claims
