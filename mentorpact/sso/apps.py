from django.apps import AppConfig


class SsoConfig(AppConfig):
    """Single sign-on with the institutions' OpenID Connect providers."""

    name = "mentorpact.sso"
    label = "sso"

    def ready(self) -> None:
        # accounts is below: it asks (accounts.signals) whether an address may use a password
        # and which other ways to sign in to offer; the answers are here.
        from mentorpact.accounts.signals import password_refused, sign_in_choices
        from mentorpact.sso import selectors

        def refuse(sender, *, email: str, **kwargs) -> str | None:
            return selectors.password_refusal(email)

        def choices(sender, *, next: str, **kwargs):
            return selectors.sign_in_choices(next_url=next)

        password_refused.connect(refuse, weak=False, dispatch_uid="sso.password_refused")
        sign_in_choices.connect(choices, weak=False, dispatch_uid="sso.sign_in_choices")
