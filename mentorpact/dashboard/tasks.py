"""Background work for the dashboard, run by `manage.py db_worker`."""

from django.tasks import task

from mentorpact.dashboard import services


@task
def build_agreements_zip(zip_id: int) -> None:
    """The ZIP of a program's signed agreements: services.build_agreements_zip."""
    services.build_agreements_zip(zip_id=zip_id)
