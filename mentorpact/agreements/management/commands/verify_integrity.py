"""Check every record the product keeps as evidence: exit 0 and "intact" when nothing was
changed behind its back, exit 1 naming each problem (table, row, what) otherwise.

Checks the audit trail's hash chain and its head, every signed (and replaced) agreement
version's content hash and recorded digest, every signature, consent and revision against the
event that recorded it, and every sealed PDF (its stored SHA-256, its sealed event and its
seal). See docs/architecture.md, "Tamper evidence".
"""

from itertools import chain
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from mentorpact.agreements import integrity as agreements_integrity
from mentorpact.audit import integrity as audit_integrity
from mentorpact.audit.models import ChainHead


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain and every signed record and sealed PDF."

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit", type=int, default=100, help="print at most this many problems (100)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        found = 0
        for problem in chain(audit_integrity.chain_problems(), agreements_integrity.problems()):
            found += 1
            if found <= options["limit"]:
                self.stderr.write(str(problem))
        if found:
            if found > options["limit"]:
                self.stderr.write(f"... and {found - options['limit']} more")
            raise CommandError(f"not intact: {found} problem{'s' if found != 1 else ''} found")
        head = ChainHead.objects.filter(pk=1).values_list("seq", "hash").first() or (0, "")
        self.stdout.write(f"intact: audit chain of {head[0]} events, head {head[1]}")
