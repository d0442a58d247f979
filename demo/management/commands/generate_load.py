from django.core.management.base import BaseCommand, CommandError

from demo import generate as demo


class Command(BaseCommand):
    help = (
        "Make (or top up) a program with N partnerships for benchmarks: bulk inserts, one "
        "password hash. Re-running with the same N changes nothing; a larger N adds the rest."
    )

    def add_arguments(self, parser):
        parser.add_argument("--partnerships", type=int, required=True, metavar="N")
        parser.add_argument("--program-name", default=demo.DEFAULT_LOAD_PROGRAM, metavar="NAME")

    def handle(self, *args, partnerships, program_name, **options):
        if partnerships < 1:
            raise CommandError("--partnerships must be at least 1.")
        result = demo.generate_load(partnerships=partnerships, program_name=program_name)
        self.stdout.write(
            f"{result.program.name}: {result.total} partnerships ({result.created} added)"
        )
        # One key=value per line: bench/run.py reads these.
        self.stdout.write(f"program_id={result.program.public_id}")
        self.stdout.write(f"partnership_code={result.sample.public_id}")
        self.stdout.write(f"coordinator={result.coordinator.email}")
        self.stdout.write(f"partner={result.sample.mentee.email}")
