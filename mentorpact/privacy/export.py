"""A person's own data as one ZIP ("Download my data").

Inside: `my-data.json` (every table below, as lists of objects), the same tables as CSV files
(formula-safe, `lib.csvfile.write`), a README, and for each partnership the person was a
partner in, that partnership's whole record as either partner downloads it
(`partnerships/<n>-<names>/`: the agreement PDFs, plans, meetings, the notes and feedback
this person may see). Nothing of anyone else's confidential content: the record is built for
this person, and a coordinator's programs contribute only their own enrolment and actions.
"""

import io
import json
import zipfile
from datetime import datetime

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from mentorpact.accounts.models import User
from mentorpact.lib import csvfile
from mentorpact.lib.dates import in_zone
from mentorpact.privacy import selectors
from mentorpact.progress import record


def filename(user: User, now: datetime) -> str:
    return f"mentorpact-my-data-{slugify(user.full_name) or 'account'}-{now.date().isoformat()}.zip"


def build_export(user: User, *, now: datetime | None = None) -> bytes:
    now = now or timezone.now()
    tables = selectors.personal_tables(user)
    partnerships = selectors.partnerships_of(user)
    folders = [
        f"partnerships/{number}-{slugify(p.mentor.full_name)}-{slugify(p.mentee.full_name)}/"
        for number, p in enumerate(partnerships, start=1)
    ]
    document = {
        "made_at": now.isoformat(),
        "person": str(user.public_id),
        **{table.name: table.as_dicts() for table in tables},
        "partnership_records": folders,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "README.txt",
            render_to_string(
                "privacy/export-readme.txt",
                {
                    "person": user,
                    "made_at": in_zone(now, user.time_zone),
                    "tables": tables,
                    "folders": folders,
                },
            ),
        )
        archive.writestr(
            "my-data.json", json.dumps(document, indent=2, ensure_ascii=False, default=str)
        )
        for table in tables:
            rows = [
                [json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else v for v in row]
                for row in table.rows
            ]
            archive.writestr(f"{table.name}.csv", csvfile.write(table.columns, rows))
        for folder, partnership in zip(folders, partnerships, strict=True):
            inner = zipfile.ZipFile(io.BytesIO(record.build_record(partnership, user, now=now)))
            for name in inner.namelist():
                archive.writestr(folder + name, inner.read(name))
    return buffer.getvalue()
