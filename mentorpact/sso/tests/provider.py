"""A real OpenID Connect provider on 127.0.0.1 for the tests: django-oauth-toolkit's OIDC
support in a small Django project of its own (its own settings and SQLite file), run in a
subprocess. `LocalProvider.shared()` starts one for the test session.

Run as `python -m mentorpact.sso.tests.provider DIR`: it serves on a free port and prints
"READY <port>". Besides the provider's own endpoints (discovery, keys, authorize, token,
userinfo) it has two for the tests to set it up, `/test/users/` and `/test/clients/`. A
client's `quirk` makes the provider misbehave the way the relying party must refuse:
"wrong-audience", "wrong-issuer", "wrong-nonce", "expired" ID tokens.
"""

import atexit
import html
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urljoin

import requests

HERE = Path(__file__).resolve().parent
PASSWORD = "op-password"


# --- The provider's own process --------------------------------------------------------


def _configure(directory: Path, port: int) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from django.conf import settings

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    settings.configure(
        DEBUG=False,
        SECRET_KEY=uuid.uuid4().hex,
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        ROOT_URLCONF=__name__,
        USE_TZ=True,
        INSTALLED_APPS=[
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
            "oauth2_provider",
        ],
        MIDDLEWARE=[
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
        ],
        DATABASES={
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": str(directory / "provider.sqlite3"),
            }
        },
        TEMPLATES=[
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "DIRS": [str(HERE / "op_templates")],
                "APP_DIRS": True,
                "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
            }
        ],
        LOGIN_URL="/login/",
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],  # a test's own
        DEFAULT_AUTO_FIELD="django.db.models.AutoField",
        OAUTH2_PROVIDER={
            "OIDC_ENABLED": True,
            # Its one name, however it is reached (as "localhost" too).
            "OIDC_ISS_ENDPOINT": f"http://127.0.0.1:{port}/o",
            "OIDC_RSA_PRIVATE_KEY": pem,
            "PKCE_REQUIRED": True,
            "SCOPES": {"openid": "OpenID Connect", "email": "Email", "profile": "Profile"},
            "OAUTH2_VALIDATOR_CLASS": __name__ + ".Validator",
        },
    )


def _validator_class():
    from oauth2_provider.oauth2_validators import OAuth2Validator

    class Validator(OAuth2Validator):
        oidc_claim_scope = None  # every claim, whatever the scope

        def get_additional_claims(self, request):
            return {
                "email": request.user.email,
                "email_verified": True,
                "name": request.user.first_name,
            }

        def get_id_token_dictionary(self, token, token_handler, request):
            claims, expiration = super().get_id_token_dictionary(token, token_handler, request)
            quirk = request.client.name
            if quirk == "expired":
                claims["exp"] = int(time.time()) - 3600
                claims["iat"] = int(time.time()) - 7200
            elif quirk == "wrong-issuer":
                claims["iss"] = "http://127.0.0.1:9/someone-else"
            elif quirk == "wrong-audience":
                claims["aud"] = "another-client"
            elif quirk == "wrong-nonce":
                claims["nonce"] = "not-the-nonce-you-sent"
            return claims, expiration

    return Validator


def __getattr__(name: str):  # the validator, found by its dotted path once Django is set up
    if name == "Validator":
        return _validator_class()
    if name == "urlpatterns":
        return _urlpatterns()
    raise AttributeError(name)


def _urlpatterns():
    from django.contrib.auth import views as auth_views
    from django.http import HttpResponse
    from django.urls import include, path
    from django.views.decorators.csrf import csrf_exempt

    return [
        path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
        path("login/", auth_views.LoginView.as_view(), name="login"),
        path("test/users/", csrf_exempt(_add_user)),
        path("test/clients/", csrf_exempt(_add_client)),
        # The browser asks for one; a 404 would be a console error in the browser tests.
        path("favicon.ico", lambda request: HttpResponse(status=204)),
    ]


def _add_user(request):
    from django.contrib.auth.models import User
    from django.http import JsonResponse

    data = json.loads(request.body)
    user, _ = User.objects.get_or_create(username=data["email"], defaults={"email": data["email"]})
    user.first_name = data.get("name", "")
    user.set_password(data.get("password", PASSWORD))
    user.save()
    return JsonResponse({"sub": str(user.pk)})


def _add_client(request):
    from django.http import JsonResponse
    from oauth2_provider.models import Application

    data = json.loads(request.body)
    Application.objects.create(
        client_id=data["client_id"],
        client_secret=data["client_secret"],
        hash_client_secret=False,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(data["redirect_uris"]),
        name=data.get("quirk", ""),
        skip_authorization=True,
        algorithm=Application.RS256_ALGORITHM,
    )
    return JsonResponse({"client_id": data["client_id"]})


def serve(directory: Path) -> None:
    import django
    from django.core.management import call_command
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), Quiet)
    _configure(directory, server.server_address[1])
    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    from django.core.wsgi import get_wsgi_application

    server.set_app(get_wsgi_application())
    print(f"READY {server.server_address[1]}", flush=True)
    server.serve_forever()


# --- The tests' side ---------------------------------------------------------------------


class LocalProvider:
    """The provider subprocess, and what the tests do with it."""

    _shared: "LocalProvider | None" = None
    _lock = threading.Lock()

    def __init__(self, directory: Path):
        self.directory = directory
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mentorpact.sso.tests.provider", str(directory)],
            stdout=subprocess.PIPE,
            env=env,
            cwd=HERE.parents[2],
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        match = re.match(r"READY (\d+)", line)
        if match is None:
            self.process.kill()
            raise RuntimeError(f"the test OpenID provider did not start: {line!r}")
        self.port = int(match.group(1))
        self.origin = f"http://127.0.0.1:{self.port}"
        self.issuer = f"{self.origin}/o"

    @classmethod
    def shared(cls) -> "LocalProvider":
        """One provider for the test session, started at first use, stopped at exit."""
        with cls._lock:
            if cls._shared is None or cls._shared.process.poll() is not None:
                import tempfile

                directory = Path(tempfile.mkdtemp(prefix="oidc-provider-"))
                cls._shared = cls(directory)
                atexit.register(cls._shared.stop)
            return cls._shared

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.directory, ignore_errors=True)

    def add_user(self, email: str, name: str = "", password: str = PASSWORD) -> str:
        """A person at the provider; their `sub`."""
        response = requests.post(
            f"{self.origin}/test/users/",
            json={"email": email, "name": name, "password": password},
            timeout=10,
        )
        response.raise_for_status()
        return str(response.json()["sub"])

    def add_client(
        self, client_id: str, secret: str, redirect_uris: list[str], quirk: str = ""
    ) -> None:
        """Register a client at the provider."""
        response = requests.post(
            f"{self.origin}/test/clients/",
            json={
                "client_id": client_id,
                "client_secret": secret,
                "redirect_uris": redirect_uris,
                "quirk": quirk,
            },
            timeout=10,
        )
        response.raise_for_status()

    def sign_in(self, authorize_url: str, email: str, password: str = PASSWORD) -> str:
        """What a person's browser does at the provider: follow the authorization request,
        sign in on its page, and come back: the redirect to our callback, with code and
        state (not followed)."""
        session = requests.Session()
        response = session.get(authorize_url, allow_redirects=False, timeout=10)
        if response.status_code == 302 and "/login/" in response.headers["Location"]:
            login_url = urljoin(self.origin, response.headers["Location"])
            page = session.get(login_url, timeout=10)
            page.raise_for_status()
            response = session.post(
                login_url,
                data={
                    "username": email,
                    "password": password,
                    "csrfmiddlewaretoken": session.cookies["csrftoken"],
                    "next": html.unescape(
                        re.search(r'name="next" value="([^"]*)"', page.text).group(1)  # type: ignore[union-attr]
                    ),
                },
                headers={"Referer": login_url},
                allow_redirects=False,
                timeout=10,
            )
            if response.status_code != 302:
                raise AssertionError(f"the provider refused the sign-in: {response.status_code}")
            response = session.get(
                urljoin(self.origin, response.headers["Location"]),
                allow_redirects=False,
                timeout=10,
            )
        if response.status_code != 302:
            said = re.findall(r"<h2>.*?</h2>|<p>.*?</p>", response.text, re.S)[:4]
            raise AssertionError(
                f"the provider did not redirect back: {response.status_code} {said}"
            )
        return response.headers["Location"]


if __name__ == "__main__":
    serve(Path(sys.argv[1]))
