"""A pytest plugin loaded first (see pyproject.toml): development settings for test runs.

pytest-django imports the settings before any conftest.py runs, so these defaults must be
set here. An explicit environment (CI's DATABASE_URL, say) still wins.
"""

import os

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz")
# Browser tests run Django's live server inside pytest's (sync) process.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
