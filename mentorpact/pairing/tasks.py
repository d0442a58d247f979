"""Background work for pairing, run by `manage.py db_worker`. Ids as arguments: a task may run
long after it was enqueued, so it reads the rows fresh."""

from django.tasks import task

from mentorpact.pairing import notices
from mentorpact.partnerships.models import Partnership


def _partnership(partnership_id: int) -> Partnership:
    return Partnership.objects.select_related(
        "program__template_choice__template", "mentor", "mentee"
    ).get(pk=partnership_id)


@task
def notify_paired(partnership_id: int) -> None:
    notices.paired(_partnership(partnership_id))


@task
def notify_paired_many(partnership_ids: list[int]) -> None:
    """A pairing import's emails, a batch of pairings per task (services.NOTICE_BATCH)."""
    for partnership in Partnership.objects.filter(pk__in=partnership_ids).select_related(
        "program__template_choice__template", "mentor", "mentee"
    ):
        notices.paired(partnership)


@task
def notify_unpaired(partnership_id: int) -> None:
    notices.unpaired(_partnership(partnership_id))
