from django.apps import AppConfig
from django.db.models.signals import post_migrate


class DashboardConfig(AppConfig):
    name = "mentorpact.dashboard"
    label = "dashboard"

    def ready(self) -> None:
        # progress announces each refresh of pairs' due rows (after every change of their
        # facts, and of their program's terms); the fact rows follow in the same
        # transaction, reading the due rows just written (dashboard.facts).
        from mentorpact.dashboard import facts
        from mentorpact.progress.signals import due_refreshed

        def follow(sender, *, partnership_ids, now=None, **kwargs) -> None:
            facts.refresh(partnership_ids, now=now)

        def fill_after_upgrade(sender, **kwargs) -> None:
            facts.fill_if_empty()

        due_refreshed.connect(follow, weak=False, dispatch_uid="dashboard.due_refreshed")
        post_migrate.connect(fill_after_upgrade, sender=self, dispatch_uid="dashboard.fill_facts")
