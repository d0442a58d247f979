"""Benchmark the pairing CSV (preview and import) and the pairing page's query count.

    .venv/bin/python bench/pairing.py                    # SQLite, a 5,000-row file
    .venv/bin/python bench/pairing.py --postgres postgres://postgres@127.0.0.1:5432/postgres

Each database is fresh (bench/run.py's `fresh_database`), migrated, with one program, its
coordinator and as many mentors and mentees as the file has rows. Measured: checking the file
for its preview (`pairing.imports.read_pairings`), importing it (`services.import_pairings`:
the whole file's checks from one read of the enrolments and partnerships, the partnerships
and their events inserted in bulk, in one transaction, the emails enqueued), the preview of
the same file again (nothing to change), and the pairing page at 100 and at 5,000 rows.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measure import Steps, import_bench  # noqa: E402


def measure(steps: Steps, rows: int) -> None:
    from django.urls import reverse

    from mentorpact.accounts.models import User
    from mentorpact.pairing import imports, services
    from mentorpact.programs.models import Enrolment

    for size in (100, rows):
        program = steps.program(f"Program of {size}")
        people = User.objects.bulk_create(
            User(email=f"p{size}-{role}{n}@example.org", full_name=f"{role} {n}", password="!")
            for n in range(size)
            for role in ("mentor", "mentee")
        )
        Enrolment.objects.bulk_create(
            Enrolment(
                program=program,
                user=user,
                role="mentor" if "-mentor" in user.email else "mentee",
            )
            for user in people
        )
        lines = ["mentor_email,mentee_email"]
        lines += [
            f"p{size}-mentor{n}@example.org,p{size}-mentee{n}@example.org" for n in range(size)
        ]
        data = ("\n".join(lines) + "\n").encode()
        url = reverse("pairing:page", args=[program.public_id])
        steps.client.get(url)  # warm
        steps.timed(f"pairing page, {size:,} waiting", steps.client.get, url)
        preview = steps.timed(f"preview, {size:,} rows", imports.read_pairings, data, program)
        assert preview.ok, preview.sheet.problems[:3]
        steps.timed(
            f"import, {size:,} rows",
            services.import_pairings,
            program=program,
            pairings=preview.pairings,
            actor=steps.cora,
        )
        again = steps.timed(f"preview again, {size:,} rows", imports.read_pairings, data, program)
        assert again.ok and again.pairings == [] and again.unchanged == size
        steps.timed(f"pairing page, {size:,} paired", steps.client.get, url)


if __name__ == "__main__":
    import_bench(__file__, __doc__ or "", measure)
