from django.core.management.base import BaseCommand

from mentorpact import demo
from mentorpact.lib.tables import format_table


class Command(BaseCommand):
    help = (
        "Create the five seed programs with demo people and partnerships at every stage. "
        "Safe to run again: it only adds what is missing. Every account, including the "
        f"superuser {demo.ADMIN_EMAIL}, has the password {demo.DEMO_PASSWORD!r}."
    )

    def handle(self, *args, **options):
        demo.load_demo()
        self.stdout.write(f"Demo accounts (password for all: {demo.DEMO_PASSWORD})")
        self.stdout.write(format_table(("email", "name", "roles"), demo.demo_accounts()))
