"""Read every partnership's dashboard facts again: `manage.py refresh_dashboard_facts
[--program <public id>]`.

The services keep the rows up to date (dashboard.facts); this backfills them after an
upgrade (as `migrate` does once when there are none) or after rows were written behind the
services' back (a restore of part of the data, a fix by hand). Safe to run at any time.
"""

from django.core.management.base import BaseCommand, CommandError

from mentorpact.dashboard import facts
from mentorpact.programs.models import Program


class Command(BaseCommand):
    help = "Recompute the dashboard's per-pair fact rows from the records."

    def add_arguments(self, parser):
        parser.add_argument("--program", help="one program's public id (default: every one)")

    def handle(self, *args, program=None, **options):
        programs = Program.objects.all()
        if program:
            programs = programs.filter(public_id=program)
            if not programs.exists():
                raise CommandError(f"No program has the id {program}.")
        written = sum(facts.refresh_program(p.pk) for p in programs.order_by("pk"))
        self.stdout.write(f"{written} partnerships' dashboard facts written.")
