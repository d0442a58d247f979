"""Shared pytest configuration. Browser fixtures live in tests/browser/conftest.py."""
