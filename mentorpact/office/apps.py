from django.apps import AppConfig


class OfficeConfig(AppConfig):
    """The program office: what site administrators and coordinators do to run a program
    (programs, their settings and coordinators, the roster, invitations, the people import)."""

    name = "mentorpact.office"
    label = "office"

    def ready(self) -> None:
        # sso is below: it says (sso.signals.linked) when a person's first sign-in through
        # an institution links their account; their pending invitations are accepted then.
        from mentorpact.office import services
        from mentorpact.sso.signals import linked

        def accept(sender, *, user, provider, now, **kwargs) -> None:
            services.accept_invitations_by_sso(user=user, provider_id=provider.pk, now=now)

        linked.connect(accept, weak=False, dispatch_uid="office.accept_invitations_by_sso")
