"""Background work for progress, run by `manage.py db_worker`. Ids as arguments: a task may
run long after it was enqueued, so it reads the rows fresh."""

from django.tasks import task

from mentorpact.progress import due_rows, notices
from mentorpact.progress.models import ClosingReview, ThankYouNote

_REVIEW_RELATIONS = ("partnership__program", "partnership__mentor", "partnership__mentee")


@task
def notify_closing_proposed(review_id: int) -> None:
    review = ClosingReview.objects.select_related("proposed_by", *_REVIEW_RELATIONS)
    notices.closing_proposed(review.get(pk=review_id))


@task
def notify_ended_early(review_id: int) -> None:
    review = ClosingReview.objects.select_related("proposed_by", *_REVIEW_RELATIONS)
    notices.ended_early(review.get(pk=review_id))


@task
def notify_notice_given(review_id: int) -> None:
    review = ClosingReview.objects.select_related("proposed_by", *_REVIEW_RELATIONS)
    notices.notice_given(review.get(pk=review_id))


@task
def deliver_thank_you(note_id: int) -> None:
    note = ThankYouNote.objects.select_related("author", "partnership__mentor").get(pk=note_id)
    notices.thank_you(note)


@task
def refresh_program_due(program_id: int) -> None:
    """A large program's terms changed: bring every open partnership's due rows up to date."""
    due_rows.refresh_program(program_id)
