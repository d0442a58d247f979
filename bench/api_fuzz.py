"""Schemathesis over the live API at the issue's bar: every check, all four phases
(examples, coverage, fuzzing, stateful), 100 cases per operation.

    .venv/bin/python bench/api_fuzz.py [--examples 100]

Runs the suite's own test (mentorpact/api/tests/test_schemathesis.py, which in the suite
asks the same 100 cases but leaves the coverage phase out: its ~1,500 boundary requests
are what this adds) with all four phases, and prints one JSON line: the exit status, the
seconds it took, and the cases generated per operation (from the run's report in
test-artifacts/schemathesis-<database>/). An operation with few
inputs (GET /me takes none) has fewer distinct cases than asked: Hypothesis stops once it
has tried them all.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

TEST = "mentorpact/api/tests/test_schemathesis.py"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=100)
    args = parser.parse_args()
    env = {
        **os.environ,
        "API_FUZZ_EXAMPLES": str(args.examples),
        "API_FUZZ_PHASES": "examples,coverage,fuzzing,stateful",
    }
    started = time.monotonic()
    done = subprocess.run(  # noqa: S603 (our own interpreter and test)
        [sys.executable, "-m", "pytest", TEST, "-q", "-p", "no:logging", "--timeout", "3600"],
        cwd=REPO,
        env=env,
        check=False,
    )
    seconds = round(time.monotonic() - started, 1)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorpact.settings")
    os.environ.setdefault("DEBUG", "true")
    import django

    django.setup()
    from django.db import connection

    from mentorpact.api.tests.test_schemathesis import example_counts, problems, report_dir

    report = report_dir(connection.vendor)
    output = (report / "output.txt").read_text() if (report / "output.txt").exists() else ""
    print(
        json.dumps(
            {
                "status": done.returncode,
                "seconds": seconds,
                "examples": args.examples,
                "problems": problems(output) if output else "no report",
                "cases": example_counts(report),
                "load": os.getloadavg(),
            }
        )
    )
    sys.exit(done.returncode)


if __name__ == "__main__":
    main()
