"""Settings for benchmark runs: production settings (DEBUG off) with what a throwaway
database on loopback needs. bench/run.py sets the environment before this is imported."""

from mentorpact.settings import *  # noqa: F403

# The manifest storage needs `collectstatic` output; the pages measured only build static
# URLs, which the plain storage does without touching the disk.
STORAGES = {  # noqa: F405
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# bench/run.py fills its database with `manage.py generate_load` (the demo app's command).
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# A throwaway installation on one machine: its sealing key may be made on first use (production
# refuses that, check agreements.E001).
SEALING_KEY_ON_FIRST_USE = True
# The product's URLs and the bare view that wrk sets each page against (bench/urls.py).
ROOT_URLCONF = "bench.urls"
