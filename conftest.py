"""Shared pytest configuration. Browser fixtures live in tests/browser/conftest.py."""

import pytest
from django.test import override_settings


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing():
    """Argon2 takes about 0.14 s a hash, and every test makes four personas: hash with MD5
    in tests so the suite stays fast. Production keeps settings.PASSWORD_HASHERS."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache (the overview's health rows,
    workspace.selectors.program_health). Django does not empty it between tests; a test's
    rolled-back changes would leave entries under keys that a later test's data repeats
    (setUpTestData rows keep their public ids), and query counts would depend on test order."""
    from django.core.cache import cache

    cache.clear()
    yield
