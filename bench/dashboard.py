"""Benchmark the program dashboard's server time at several sizes, and the signed-agreements ZIP.

    .venv/bin/python bench/dashboard.py                       # SQLite: 1,000 and 10,000 pairs
    .venv/bin/python bench/dashboard.py --sizes 1000 --requests 50 --pdfs 200
    .venv/bin/python bench/dashboard.py --sizes ""            # the ZIP only
    .venv/bin/python bench/dashboard.py --pdfs 0              # the pages only

For each size: a fresh SQLite database (bench/run.py's `fresh_database`), migrated and filled
by `generate_load` (half active, a fifth drafting, a fifth concluded, a tenth ended early),
then the coordinator's dashboard, a filtered dashboard and the pairs behind a bar are timed
in process as bench/run.py times its pages (10 warm-up requests, one counted for queries,
then `--requests` timed with perf_counter around the test client's get()).

The ZIP: a fresh database with `--sealed` (8) pairs whose agreements are signed through the
agreements services (a form whose distribution is "program") and their PDFs sealed, as the
worker does after each signing; then those sealed PDFs copied under distinct records (new
people, partnership, agreement, signed version, each PDF stored encrypted under its own
name) up to `--pdfs` (1,000) in all; then `services.build_agreements_zip` (read each stored
PDF, decrypt it and check its SHA-256, add it and the manifest, store the ZIP encrypted) is
timed over all of them. Copies, because signing and sealing 1,000 agreements through the
services took about 8 a minute on the shared 2-core machine (load 9 to 17): 438 pairs and
188 signed after 25 minutes. The build reads each stored PDF the same way whichever record
it belongs to. The time to seal one PDF is given too: a ZIP of PDFs never sealed before
seals each as it goes.
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
    parser.add_argument("--pdfs", type=int, default=1000, help="signed PDFs in the timed ZIP")
    parser.add_argument(
        "--sealed", type=int, default=8, help="of which signed and sealed through the services"
    )
    parser.add_argument("--inner", choices=["pages", "zip"], help=argparse.SUPPRESS)
    parser.add_argument("--partnerships", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner == "pages":
        print(json.dumps(pages(args.partnerships, args.requests)))
        return
    if args.inner == "zip":
        print(json.dumps(zip_build(args.pdfs, args.sealed)))
        return

    from bench.run import fresh_database
    from mentorpact.lib.tables import format_table

    print("command:", shlex.join(["python", *sys.argv]))
    print(f"{os.cpu_count()} CPUs, {args.requests} requests; load before:", load())
    lines = []
    for size in [int(s) for s in args.sizes.split(",") if s]:
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
    if lines:
        print(
            format_table(["db", "N", "page", "p50 ms", "p95 ms", "queries"], lines, right=[3, 4, 5])
        )

    if not args.pdfs:
        print("load after:", load())
        return
    with fresh_database("sqlite", args.pdfs, None) as env:
        result = inner(env, ["--inner=zip", f"--pdfs={args.pdfs}", f"--sealed={args.sealed}"])
    per_pdf = result["zip_s"] / result["pdfs"]
    print(
        format_table(
            ["step", "PDFs", "seconds", "per PDF ms"],
            [
                [
                    "sign and seal (set-up, services)",
                    result["sealed"],
                    f"{result['made_s']:.1f}",
                    f"{1000 * result['made_s'] / result['sealed']:.0f}",
                ],
                [
                    "seal one PDF",
                    1,
                    f"{result['seal_one_s']:.2f}",
                    f"{1000 * result['seal_one_s']:.0f}",
                ],
                [
                    "copy sealed PDFs (set-up)",
                    result["pdfs"] - result["sealed"],
                    f"{result['copied_s']:.1f}",
                    "",
                ],
                [
                    "build the ZIP",
                    result["pdfs"],
                    f"{result['zip_s']:.2f}",
                    f"{1000 * per_pdf:.1f}",
                ],
            ],
            right=[1, 2, 3],
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


def zip_build(count: int, sealed: int) -> dict:
    import tempfile
    import uuid

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    from cryptography.fernet import Fernet

    os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="mentorpact-bench-media-")
    # A throwaway key: the agreements' content and the stored PDFs are encrypted at rest.
    os.environ.setdefault("NOTES_ENCRYPTION_KEYS", Fernet.generate_key().decode())
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import models, transaction
    from django.utils import timezone

    call_command("migrate", verbosity=0)

    from mentorpact.accounts.models import User
    from mentorpact.agreements import services as agreement_services
    from mentorpact.agreements.models import AgreementVersion
    from mentorpact.dashboard import services
    from mentorpact.dashboard.models import AgreementsZip
    from mentorpact.dashboard.tests.base import GROUPS, build_cohort, cohort_program
    from mentorpact.lib import stored_files

    program, cora = cohort_program("ZIP bench")
    started = time.perf_counter()
    # The dashboard tests' cohort (its form's distribution is "program"): four of its five
    # groups sign, `sealed // 4` pairs each, through the agreements services.
    build_cohort(program, cora, per_group=max(1, sealed // (len(GROUPS) - 1)))
    real = list(
        AgreementVersion.objects.filter(
            agreement__partnership__program=program, status__in=AgreementVersion.SIGNED_STATUSES
        ).select_related("agreement__partnership")
    )
    first = time.perf_counter()
    agreement_services.seal_signed_version(version=real[0])
    seal_one_s = time.perf_counter() - first
    for version in real[1:]:
        agreement_services.seal_signed_version(version=version)
    made_s = time.perf_counter() - started

    def fresh(obj):
        obj.pk = None
        for f in type(obj)._meta.concrete_fields:
            if isinstance(f, models.UUIDField) and f.has_default():
                setattr(obj, f.attname, uuid.uuid4())
        return obj

    # The rest of the ZIP's records: each real sealed PDF copied under a partnership (new
    # people), an agreement and a signed version of its own, its PDF stored (encrypted) under
    # its own name, as the worker would find them.
    started = time.perf_counter()
    with transaction.atomic():
        for i in range(max(0, count - len(real))):
            source = real[i % len(real)]
            partnership = source.agreement.partnership
            people = {}
            for role in ("mentor", "mentee"):
                person = fresh(User.objects.get(pk=getattr(partnership, f"{role}_id")))
                person.email = f"copy-{i}-{role}@example.org"
                person.save()
                people[role] = person
            copy = fresh(type(partnership).objects.get(pk=partnership.pk))
            copy.mentor, copy.mentee = people["mentor"], people["mentee"]
            copy.save()
            agreement = fresh(type(source.agreement).objects.get(pk=source.agreement_id))
            agreement.partnership = copy
            agreement.save()
            data = stored_files.read(source.sealed_pdf.name)
            version = fresh(AgreementVersion.objects.get(pk=source.pk))
            version.agreement = agreement
            version.previous = None
            version.sealed_pdf = stored_files.save(f"agreements/{agreement.public_id}/v1.pdf", data)
            version.save()
    copied_s = time.perf_counter() - started
    found = AgreementsZip.objects.create(
        program=program, requested_by=cora, created_at=timezone.now()
    )
    started = time.perf_counter()
    services.build_agreements_zip(zip_id=found.pk)
    zip_s = time.perf_counter() - started
    found.refresh_from_db()
    assert found.status == AgreementsZip.Status.DONE, found.problem
    return {
        "pdfs": found.total,
        "sealed": len(real),
        "made_s": made_s,
        "copied_s": copied_s,
        "seal_one_s": seal_one_s,
        "zip_s": zip_s,
        "zip_bytes": found.size,
    }


if __name__ == "__main__":
    main()
