"""Benchmark the people import (preview and import of a CSV) and the roster's query count.

    .venv/bin/python bench/people.py                    # SQLite, a 5,000-row file
    .venv/bin/python bench/people.py --postgres postgres://postgres@127.0.0.1:5432/postgres

Each database is fresh (bench/run.py's `fresh_database`), migrated, with one program and its
coordinator. Measured: reading and checking the file for its preview (`people.read_people`),
importing it (`services.import_people`: accounts, enrolments, invitations and events in one
transaction, the emails enqueued), the preview of the same file again (nothing to change),
and the roster page (queries and time) at 100 and at 5,000 people.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measure import Steps, import_bench  # noqa: E402


def measure(steps: Steps, rows: int) -> None:
    from django.urls import reverse

    from mentorpact.office import people, services

    for size in (100, rows):
        program = steps.program(f"Program of {size}")
        data = csv_of(size, prefix=f"p{size}")
        preview = steps.timed(f"preview, {size:,} rows", people.read_people, data, program)
        assert preview.ok, preview.sheet.problems[:3]
        upload = services.save_upload(
            program=program, actor=steps.cora, filename="x.csv", content=data
        )
        steps.timed(
            f"import, {size:,} rows",
            services.import_people,
            upload=upload,
            people=preview.people,
            actor=steps.cora,
        )
        again = steps.timed(f"preview again, {size:,} rows", people.read_people, data, program)
        assert again.changes == 0
        url = reverse("office:roster", args=[program.public_id])
        steps.client.get(url)  # warm
        steps.timed(f"roster page, {size + 1:,} people", steps.client.get, url)


def csv_of(size: int, prefix: str) -> bytes:
    lines = ["email,name,role,department,time_zone,capacity"]
    for n in range(size):
        if n % 4 == 0:
            lines.append(f"{prefix}-m{n}@example.org,Mentor {n},mentor,Physics,Europe/London,3")
        else:
            lines.append(f"{prefix}-e{n}@example.org,Mentee {n},mentee,Chemistry,Asia/Tokyo,")
    return ("\n".join(lines) + "\n").encode()


if __name__ == "__main__":
    import_bench(__file__, __doc__ or "", measure)
