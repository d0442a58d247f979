"""Sign-in, with every attempt in the audit trail.

accounts' backend does the work (email and password, the cool-off); this one, a layer above
it, records the outcome, so accounts needs to know nothing of the audit trail. Every sign-in
path (our page and the admin's) goes through here.
"""

from mentorpact.accounts import selectors as account_selectors
from mentorpact.accounts.backends import ThrottledEmailBackend
from mentorpact.accounts.models import User
from mentorpact.audit import services
from mentorpact.lib.http import client_address


class AuditedEmailBackend(ThrottledEmailBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        email = username or kwargs.get("email")
        if email is None or password is None:
            return user  # not an email-and-password attempt: another backend's business
        ip = client_address(request) if request is not None else None
        if user is not None:
            services.record("accounts.signed_in", on=user, actor=user, ip=ip)
            return user
        known = User.objects.filter(email=email.strip().lower()).first()
        extra = {"refused": "sso_only"} if account_selectors.password_refusal(email) else {}
        services.record(
            "accounts.sign_in_failed",
            on=known,
            ip=ip,
            # The address as typed (trimmed, lower case, bounded), never the password.
            email=email.strip().lower()[:254],
            # Whether this client is now paused for this address (accounts.selectors).
            locked=account_selectors.sign_in_paused_for(email=email, client=ip) > 0,
            # A password for an address whose institution requires its single sign-on.
            **extra,
        )
        return None
