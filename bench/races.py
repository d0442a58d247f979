"""The race tests as a soak: every race the suite runs, thousands of times.

    .venv/bin/python bench/races.py                                  # SQLite file, 10,000
    .venv/bin/python bench/races.py --trials 2000 \\
        --postgres postgres://postgres@127.0.0.1:5432/postgres

The suite runs the repeated race tests with a CI-sized sample (`RACE_TRIALS`, 60 by default:
see mentorpact/test.py); this runs them with `--trials` (two partners signing at once, the
same signer twice, an edit racing a signature, two saves from one revision: up to
`--trials` races each; the reminder planner against itself: a round per 12 trials), on a
file-backed SQLite database (threads cannot share an in-memory one) or on PostgreSQL, and
prints one JSON line: the exit status, the seconds it took and the trials asked.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

TESTS = [
    "mentorpact/agreements/tests/test_races.py",
    "mentorpact/progress/tests/test_reminder_race.py",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=10_000)
    parser.add_argument("--postgres", metavar="URL", help="run on this PostgreSQL server")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mp-races-") as folder:
        env = {**os.environ, "RACE_TRIALS": str(args.trials)}
        if args.postgres:
            env["DATABASE_URL"] = args.postgres
        else:
            env["SQLITE_TEST_PATH"] = str(Path(folder) / "races.sqlite3")
        started = time.monotonic()
        done = subprocess.run(  # noqa: S603 (our own interpreter and tests)
            [sys.executable, "-m", "pytest", *TESTS, "-q", "-p", "no:cacheprovider"]
            + ["--timeout", "0"],
            cwd=REPO,
            env=env,
            check=False,
        )
    print(
        json.dumps(
            {
                "status": done.returncode,
                "seconds": round(time.monotonic() - started, 1),
                "trials": args.trials,
                "database": "postgresql" if args.postgres else "sqlite",
            }
        )
    )
    sys.exit(done.returncode)


if __name__ == "__main__":
    main()
