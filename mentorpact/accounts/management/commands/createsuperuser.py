"""Django's createsuperuser, with the person's name asked for or taken from `--full-name`
(also `--full_name`) or DJANGO_SUPERUSER_FULL_NAME, and a plain message when it is missing."""

from django.contrib.auth.management.commands import createsuperuser
from django.core.management.base import CommandError


class Command(createsuperuser.Command):
    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--full-name", dest="full_name", help="The administrator's name (as --full_name)."
        )

    def handle(self, *args, **options):
        try:
            return super().handle(*args, **options)
        except CommandError as error:
            if "--full_name" in str(error):
                raise CommandError(
                    "Give the administrator's name: --full-name 'Ada Lovelace', or set "
                    "DJANGO_SUPERUSER_FULL_NAME."
                ) from None
            raise
