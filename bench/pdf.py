"""Benchmark a signed agreement's PDF: rendering it (WeasyPrint) and sealing it (pyHanko).

    .venv/bin/python bench/pdf.py                    # SQLite
    .venv/bin/python bench/pdf.py --rows 40          # 40 timed rounds (default 20)

The database is fresh (bench/run.py's `fresh_database`) and holds the demo's story
(`demo.player.load_demo`), whose signed agreements are on the five built-in forms. Each round
renders every signed version once and seals it once; the table gives the median of each step
over the rounds, and of render + seal together, per version. The first round is a warm-up
(fonts, the key and the certificate are loaded then) and is left out. The target (issue 18)
is render + seal at most 250 ms median.
"""

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measure import Steps, import_bench  # noqa: E402


def measure(steps: Steps, rows: int) -> None:
    from demo.player import load_demo
    from mentorpact.agreements import pdf, sealing
    from mentorpact.agreements.models import AgreementVersion
    from mentorpact.agreements.services import identity_of

    load_demo()
    versions = [v for v in AgreementVersion.objects.all() if v.is_signed]
    assert versions, "the demo has signed agreements"
    rendered, sealed, total = [], [], []
    for round_ in range(max(rows, 2) + 1):
        for version in versions:
            started = time.perf_counter()
            document = pdf.render_pdf(version)
            middle = time.perf_counter()
            sealing.seal_pdf(document, identity_of(version))
            ended = time.perf_counter()
            if round_:  # round 0 warms up
                rendered.append((middle - started) * 1000)
                sealed.append((ended - middle) * 1000)
                total.append((ended - started) * 1000)
    label = f"{len(versions)} signed versions x {max(rows, 2)} rounds"
    steps.results[f"{label}: render (median)"] = (statistics.median(rendered), 0)
    steps.results[f"{label}: seal (median)"] = (statistics.median(sealed), 0)
    steps.results[f"{label}: render + seal (median)"] = (statistics.median(total), 0)


if __name__ == "__main__":
    import_bench(__file__, __doc__ or "", measure)
