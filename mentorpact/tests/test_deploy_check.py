"""Production settings, as a real deployment sets them: each test runs a fresh process.

The test run itself has DEBUG on (mentorpact/testing_env.py), and settings are read once at
import, so only a subprocess with its own environment sees what production sees.
"""

import atexit
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
from functools import cache
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from mentorpact.agreements import sealing

BASE_DIR = Path(__file__).resolve().parents[2]

# The response headers of one request, made inside the production process.
FETCH_HEADERS = """
import json, django
django.setup()
from django.test import Client
response = Client().get("/health/", secure=True, headers={"host": "mentorpact.example.org"})
print(json.dumps({"status": response.status_code, **dict(response.headers)}))
"""


@cache
def sealing_credentials() -> tuple[Path, Path]:
    """One key and certificate for this module, as `manage.py create_sealing_key` makes them."""
    folder = Path(tempfile.mkdtemp(prefix="mentorpact-seal-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    key, cert = folder / "seal-key.pem", folder / "seal-cert.pem"
    sealing.create_credentials(key, cert)
    return key, cert


def production_env(tmp_path: Path, **overrides: str | None) -> dict[str, str]:
    """Only what a deployment sets: nothing from the developer's (or the test run's) env."""
    key, cert = sealing_credentials()
    env: dict[str, str | None] = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "DJANGO_SETTINGS_MODULE": "mentorpact.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "mentorpact.example.org",
        "SITE_ROOT": "https://mentorpact.example.org",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "SQLITE_PATH": str(tmp_path / "production.sqlite3"),
        "NOTES_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "AGREEMENT_SIGNING_KEY": str(key),
        "AGREEMENT_SIGNING_CERT": str(cert),
    }
    env.update(overrides)
    return {name: value for name, value in env.items() if value is not None}


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_deploy_check_passes_with_production_settings(tmp_path):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path)
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_deploy_check_fails_when_email_would_go_to_the_console(tmp_path):
    env = production_env(tmp_path, EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend")

    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)

    assert result.returncode != 0
    assert "mentorpact.W001" in result.stderr


def test_the_check_refuses_a_sealing_key_made_on_first_use(tmp_path):
    # Each machine would seal with its own key: configuration must name the one key.
    env = production_env(tmp_path, AGREEMENT_SIGNING_KEY=None, AGREEMENT_SIGNING_CERT=None)

    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)

    assert result.returncode != 0
    assert "agreements.E001" in result.stderr


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off(tmp_path):
    env = production_env(tmp_path, SECRET_KEY=None)

    result = run(["manage.py", "check"], env)

    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.endswith("SECRET_KEY must be set when DEBUG is off.")


def test_debug_off_is_the_default(tmp_path):
    env = production_env(tmp_path)  # no DEBUG at all

    result = run(
        [
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.DEBUG)",
        ],
        env,
    )

    assert result.stdout.strip() == "False", result.stderr


@pytest.fixture(scope="module")
def production_headers(tmp_path_factory) -> dict:
    result = run(["-c", FETCH_HEADERS], production_env(tmp_path_factory.mktemp("production")))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_responses_carry_a_content_security_policy(production_headers):
    headers = production_headers

    assert headers["status"] == 200
    policy = headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    # No 'unsafe-inline' anywhere: inline scripts need the per-response nonce.
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_production_responses_carry_strict_transport_security(production_headers):
    assert production_headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )


def test_production_redirects_plain_http_to_https(tmp_path):
    script = FETCH_HEADERS.replace("secure=True", "secure=False")

    result = run(["-c", script], production_env(tmp_path))

    headers = json.loads(result.stdout.strip().splitlines()[-1])
    assert headers["status"] == 301
    assert headers["Location"] == "https://mentorpact.example.org/health/"


def test_the_readme_documents_every_environment_variable_the_settings_read():
    settings_source = (BASE_DIR / "mentorpact" / "settings.py").read_text()
    readme = (BASE_DIR / "README.md").read_text()
    names = set(re.findall(r'env_(?:str|bool|int|list)\(\s*"([A-Z0-9_]+)"', settings_source))

    assert names, "found no env_*() calls in settings.py"
    undocumented = sorted(name for name in names if f"`{name}`" not in readme)
    assert not undocumented, f"README.md's Configuration table lacks {undocumented}"


def test_the_deploy_check_refuses_webhooks_to_this_machine(tmp_path):
    # The tests' receiver on 127.0.0.1 needs it; production must never have it.
    env = production_env(tmp_path, WEBHOOK_ALLOW_LOOPBACK="true")

    result = run(["manage.py", "check", "--deploy"], env)

    assert result.returncode != 0
    assert "webhooks.E001" in result.stderr


def test_the_deploy_check_fails_without_notes_encryption_keys(tmp_path):
    env = production_env(tmp_path, NOTES_ENCRYPTION_KEYS=None)

    result = run(["manage.py", "check", "--deploy"], env)

    assert result.returncode != 0
    assert "meetings.E001" in result.stderr


def test_s3_bucket_keeps_files_in_an_s3_compatible_store(tmp_path):
    env = production_env(
        tmp_path, S3_BUCKET="mentorpact-files", S3_ENDPOINT_URL="https://s3.example.org"
    )
    script = (
        "import django; django.setup(); "
        "from django.core.files.storage import storages; s = storages['default']; "
        "print(type(s).__name__, s.bucket_name, s.endpoint_url, s.file_overwrite)"
    )

    result = run(["-c", script], env)
    check = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)

    assert result.stdout.split() == [
        "S3Storage",
        "mentorpact-files",
        "https://s3.example.org",
        "False",
    ], result.stderr
    assert check.returncode == 0, check.stdout + check.stderr
