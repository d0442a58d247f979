"""Benchmark the program dashboard's server time at several sizes, and the signed-agreements ZIP.

    .venv/bin/python bench/dashboard.py                       # SQLite: 1,000 and 10,000 pairs
    .venv/bin/python bench/dashboard.py --sizes 1000 --requests 50 --pdfs 20

For each size: a fresh SQLite database (bench/run.py's `fresh_database`), migrated and filled
by `generate_load` (half active, a fifth drafting, a fifth concluded, a tenth ended early),
then the coordinator's dashboard, a filtered dashboard and the pairs behind a bar are timed
in process as bench/run.py times its pages (10 warm-up requests, one counted for queries,
then `--requests` timed with perf_counter around the test client's get()).

The ZIP: a fresh database with `--pdfs` pairs whose agreements are signed through the
agreements services (a form whose distribution is "program") and their PDFs sealed, as the
worker does after each signing; then `services.build_agreements_zip` (read each stored PDF,
decrypt it, add it and the manifest, store the ZIP encrypted) is timed. Making 1,000 signed
and sealed agreements takes far longer than the ZIP itself, so the default builds 40 and the
table extrapolates linearly to 1,000 (the build is one pass over the PDFs: its time is the
PDFs' count times a per-PDF cost, plus the manifest). The time to seal one PDF is given too:
a ZIP of PDFs never sealed before seals each as it goes.
"""

import argparse
import json
import os
import shlex
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="partnership counts")
    parser.add_argument("--requests", type=int, default=100, help="timed requests per page")
    parser.add_argument("--pdfs", type=int, default=40, help="signed PDFs in the timed ZIP")
    parser.add_argument("--inner", choices=["pages", "zip"], help=argparse.SUPPRESS)
    parser.add_argument("--partnerships", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner == "pages":
        print(json.dumps(pages(args.partnerships, args.requests)))
        return
    if args.inner == "zip":
        print(json.dumps(zip_build(args.pdfs)))
        return

    from bench.run import fresh_database
    from mentorpact.lib.tables import format_table

    print("command:", shlex.join(["python", *sys.argv]))
    print(f"{os.cpu_count()} CPUs, {args.requests} requests; load before:", load())
    lines = []
    for size in [int(s) for s in args.sizes.split(",")]:
        with fresh_database("sqlite", size, None) as env:
            result = inner(
                env, ["--inner=pages", f"--partnerships={size}", f"--requests={args.requests}"]
            )
        print(f"sqlite: generated {size:,} partnerships in {result['generated_s']:.1f} s")
        for row in result["pages"]:
            lines.append(
                [
                    "sqlite",
                    f"{size:,}",
                    row["page"],
                    f"{row['p50_ms']:.1f}",
                    f"{row['p95_ms']:.1f}",
                    row["queries"],
                ]
            )
    print(format_table(["db", "N", "page", "p50 ms", "p95 ms", "queries"], lines, right=[3, 4, 5]))

    with fresh_database("sqlite", args.pdfs, None) as env:
        result = inner(env, ["--inner=zip", f"--pdfs={args.pdfs}"])
    per_pdf = result["zip_s"] / result["pdfs"]
    print(
        format_table(
            ["step", "PDFs", "seconds", "per PDF ms", "1,000 PDFs (extrapolated) s"],
            [
                [
                    "sign and seal (set-up)",
                    result["pdfs"],
                    f"{result['made_s']:.1f}",
                    f"{1000 * result['made_s'] / result['pdfs']:.0f}",
                    "",
                ],
                [
                    "seal one PDF",
                    1,
                    f"{result['seal_one_s']:.2f}",
                    f"{1000 * result['seal_one_s']:.0f}",
                    f"{1000 * result['seal_one_s']:.0f}",
                ],
                [
                    "build the ZIP",
                    result["pdfs"],
                    f"{result['zip_s']:.2f}",
                    f"{1000 * per_pdf:.1f}",
                    f"{1000 * per_pdf:.1f}",
                ],
            ],
            right=[1, 2, 3, 4],
        )
    )
    print(f"ZIP: {result['zip_bytes']:,} bytes for {result['pdfs']} PDFs; load after:", load())


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def inner(env: dict, extra: list[str]) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), *extra]
    done = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"bench/dashboard.py {' '.join(extra)} failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def pages(size: int, requests: int) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from bench.measure import time_in_process
    from mentorpact.accounts.models import User

    call_command("migrate", verbosity=0)
    out = StringIO()
    started = time.perf_counter()
    call_command("generate_load", partnerships=size, stdout=out)
    generated_s = time.perf_counter() - started
    keys = dict(line.split("=", 1) for line in out.getvalue().splitlines() if "=" in line)
    client = Client()
    client.force_login(User.objects.get(email=keys["coordinator"]))
    program = keys["program_id"]
    dashboard = reverse("dashboard:page", args=[program])
    urls = {
        "dashboard": dashboard,
        "dashboard, filtered": f"{dashboard}?cohort=later&paired_from=2026-01-01",
        "pairs behind a bar": reverse("dashboard:pairs", args=[program])
        + "?figure=stage&bar=active",
    }
    rows = [{"page": name, **time_in_process(client, url, requests)} for name, url in urls.items()]
    return {"generated_s": generated_s, "pages": rows}


def zip_build(count: int) -> dict:
    import tempfile

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    from cryptography.fernet import Fernet

    os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="mentorpact-bench-media-")
    # A throwaway key: the agreements' content and the stored PDFs are encrypted at rest.
    os.environ.setdefault("NOTES_ENCRYPTION_KEYS", Fernet.generate_key().decode())
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)

    from mentorpact.agreements import services as agreement_services
    from mentorpact.agreements.models import AgreementVersion
    from mentorpact.dashboard import services
    from mentorpact.dashboard.models import AgreementsZip
    from mentorpact.dashboard.tests.base import GROUPS, build_cohort, cohort_program

    program, cora = cohort_program("ZIP bench")
    started = time.perf_counter()
    # The dashboard tests' cohort (its form's distribution is "program"): four of its five
    # groups sign, count // 4 pairs each.
    build_cohort(program, cora, per_group=max(1, count // (len(GROUPS) - 1)))
    versions = list(
        AgreementVersion.objects.filter(
            agreement__partnership__program=program, status__in=AgreementVersion.SIGNED_STATUSES
        )
    )
    first = time.perf_counter()
    agreement_services.seal_signed_version(version=versions[0])
    seal_one_s = time.perf_counter() - first
    for version in versions[1:]:
        agreement_services.seal_signed_version(version=version)
    made_s = time.perf_counter() - started
    found = AgreementsZip.objects.create(
        program=program, requested_by=cora, created_at=timezone.now()
    )
    started = time.perf_counter()
    services.build_agreements_zip(zip_id=found.pk)
    zip_s = time.perf_counter() - started
    found.refresh_from_db()
    assert found.status == AgreementsZip.Status.DONE, found.problem
    assert found.total == len(versions)
    return {
        "pdfs": len(versions),
        "made_s": made_s,
        "seal_one_s": seal_one_s,
        "zip_s": zip_s,
        "zip_bytes": found.size,
    }


if __name__ == "__main__":
    main()
