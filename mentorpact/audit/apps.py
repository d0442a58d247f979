from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "mentorpact.audit"
    label = "audit"

    def ready(self) -> None:
        # accounts is below the audit trail: it announces changes to a person's own account
        # (accounts.signals), and they are recorded here, in the sender's transaction.
        from mentorpact.accounts.signals import account_changed
        from mentorpact.audit import services

        def record(sender, *, user, action: str, details: dict, **kwargs) -> None:
            services.record(action, on=user, actor=user, **details)

        account_changed.connect(record, weak=False, dispatch_uid="audit.account_changed")
