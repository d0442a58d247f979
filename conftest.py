"""Shared pytest configuration. Browser fixtures live in tests/browser/conftest.py."""

import pytest
from django.test import override_settings


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing():
    """Argon2 takes about 0.14 s a hash, and every test makes four personas: hash with MD5
    in tests so the suite stays fast. Production keeps settings.PASSWORD_HASHERS."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield
