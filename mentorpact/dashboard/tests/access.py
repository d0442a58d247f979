"""Objects the access matrix probes the dashboard's URLs with, made once per test case."""

import io
import zipfile

from django.utils import timezone

from mentorpact.dashboard.models import AgreementsZip
from mentorpact.lib import stored_files


def coras_zip(t) -> AgreementsZip:
    """A ready ZIP of the persona program's signed agreements (none yet: the manifest only)."""
    if not hasattr(t, "dashboard_zip"):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("manifest.csv", "partnership,version\n")
        now = timezone.now()
        t.dashboard_zip = AgreementsZip.objects.create(
            program=t.program,
            requested_by=t.cora,
            status=AgreementsZip.Status.DONE,
            file_name=stored_files.save("exports/access.zip", out.getvalue()),
            created_at=now,
            finished_at=now,
        )
    return t.dashboard_zip


def zip_kwargs(t) -> dict:
    return {"program_id": t.program.public_id, "zip_id": coras_zip(t).public_id}
