"""Benchmark the reminder planner's pass at 1,000, 10,000 and 100,000 partnerships.

    .venv/bin/python bench/planner.py                    # SQLite
    .venv/bin/python bench/planner.py --postgres postgres://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/planner.py --rows 10000       # stop at 10,000

Each database is fresh (bench/run.py's `fresh_database`) and filled by `generate_load`, which
writes every partnership's due rows (progress.due_rows) as the services would, for a program
on the research office's form (RED). At each size:
the first pass at the load's day (it plans every reminder then due), a pass with nothing
changed (the median of 21: it reads the due rows' partial index and finds nothing), and the
refresh of one partnership's rows (what a service adds to a change of a pair's facts).
"""

import datetime
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measure import Steps, import_bench  # noqa: E402

PASSES = 21


def measure(steps: Steps, rows: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from demo.generate import DEFAULT_LOAD_PROGRAM, LOAD_ANCHOR, generate_load
    from mentorpact.agreement_templates.models import AgreementTemplate
    from mentorpact.agreement_templates.services import choose_template, ensure_builtin_templates
    from mentorpact.partnerships.models import Partnership
    from mentorpact.programs.models import Program
    from mentorpact.progress import due_rows, reminders
    from mentorpact.progress.models import DueEntry

    # The research office's form (RED): a first meeting within 4 weeks of the kick-off, so
    # every open pair has two due items (its agreement, its first meeting), and the first
    # pass plans a reminder for each pair whose first meeting is overdue.
    ensure_builtin_templates()
    program = Program.objects.create(
        name=DEFAULT_LOAD_PROGRAM, kickoff_date=datetime.date(2026, 10, 12)
    )
    red = AgreementTemplate.objects.get(slug="red-peer-mentoring")
    choose_template(program=program, template=red, user=None)
    for size in [n for n in (1_000, 10_000, 100_000) if n <= rows]:
        started = time.perf_counter()
        load = generate_load(partnerships=size)
        rows_written = DueEntry.objects.count()
        steps.results[f"{size:,}: generate, {rows_written:,} due rows"] = (
            (time.perf_counter() - started) * 1000,
            0,
        )
        steps.timed(f"{size:,}: first pass", reminders.plan_reminders, now=LOAD_ANCHOR)
        timings = []
        for _ in range(PASSES):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                planned = reminders.plan_reminders(now=LOAD_ANCHOR)
                timings.append((time.perf_counter() - started) * 1000)
            assert planned == 0, planned
        steps.results[f"{size:,}: pass, nothing changed (median)"] = (
            statistics.median(timings),
            len(queries),
        )
        one = Partnership.objects.filter(program=load.program, status="active").first()
        steps.timed(f"{size:,}: refresh one partnership", due_rows.refresh, one, now=LOAD_ANCHOR)


if __name__ == "__main__":
    import_bench(__file__, __doc__ or "", measure)
