from django.core.management.base import BaseCommand

from demo import player
from mentorpact.lib.tables import format_table


class Command(BaseCommand):
    help = (
        "Create the five seed programs with demo people and partnerships at every stage "
        "(demo/story.yaml). Safe to run again: it only adds what is missing. Every account, "
        "including the superuser admin@example.org, has the password 'mentorpact-demo'."
    )
    # `make demo` runs migrate first, which has just run the system checks (about 2 s).
    requires_system_checks: list[str] = []

    def handle(self, *args, **options):
        player.load_demo()
        self.stdout.write(f"Demo accounts (password for all: {player.story()['password']})")
        self.stdout.write(format_table(("email", "name", "roles"), player.demo_accounts()))
