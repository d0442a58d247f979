from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_migrate

# A program with at most this many open partnerships is refreshed inside the transaction
# that changed its terms; a larger one in the worker (tasks.refresh_program_due).
REFRESH_AT_ONCE = 200


class ProgressConfig(AppConfig):
    name = "mentorpact.progress"
    label = "progress"
    verbose_name = "Progress: action plan, midpoint, closing, reminders"

    def ready(self) -> None:
        # The apps below progress announce changes of a pair's facts (partnerships.signals)
        # and of a program's terms (programs.signals); the due rows follow here, in the
        # sender's transaction (docs/architecture.md, "Due work is data").
        from mentorpact.partnerships.models import Partnership
        from mentorpact.partnerships.signals import partnership_changed
        from mentorpact.programs.signals import terms_changed
        from mentorpact.progress import due_rows, tasks

        def follow_partnership(sender, *, partnership, now=None, **kwargs) -> None:
            due_rows.refresh(partnership, now=now)

        def follow_program(sender, *, program, **kwargs) -> None:
            open_ones = program.partnerships.filter(status__in=Partnership.OPEN_STATUSES)
            if open_ones.count() <= REFRESH_AT_ONCE:
                due_rows.refresh_program(program.pk)
            else:
                program_id = program.pk
                transaction.on_commit(
                    lambda: tasks.refresh_program_due.enqueue(program_id=program_id)
                )

        def fill_after_upgrade(sender, **kwargs) -> None:
            due_rows.fill_if_empty()

        partnership_changed.connect(
            follow_partnership, weak=False, dispatch_uid="progress.partnership_changed"
        )
        terms_changed.connect(follow_program, weak=False, dispatch_uid="progress.terms_changed")
        post_migrate.connect(fill_after_upgrade, sender=self, dispatch_uid="progress.fill_due")
