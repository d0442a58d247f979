from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Installed only with DEBUG on (settings.py) or by bench/settings.py: its commands."""

    name = "demo"
    verbose_name = "Demo data"
