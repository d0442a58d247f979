from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Count, Q

from mentorpact.accounts import selectors, services
from mentorpact.lib.http import client_address

UserModel = get_user_model()


class ThrottledEmailBackend(ModelBackend):
    """Email and password, refused outright while this client is paused for this address.

    Every sign-in path (our page and the admin's) goes through here, so the limit cannot be
    sidestepped by choosing another form. The pause is per client address (and per client
    across addresses), so nobody can lock anyone else out (accounts.services). An address
    whose institution requires its single sign-on (accounts.selectors.password_refusal) is
    refused before its password is even checked, and that counts as no failure.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        email = username or kwargs.get("email")
        if email is None or password is None:
            return None
        if selectors.password_refusal(email):
            return None
        client = client_address(request) if request is not None else None
        if selectors.sign_in_paused_for(email=email, client=client):
            return None
        user = super().authenticate(request, username=email.strip().lower(), password=password)
        if user is None:
            services.record_login_failure(email=email, client=client)
        else:
            services.clear_login_failures(email=email, client=client)
        return user

    def get_user(self, user_id):
        """The signed-in person, with how many programs they coordinate counted in the same
        query, for the navigation's "My programs" (no extra query on any page). The
        enrolments are named by their relation, so accounts imports nothing above it."""
        user = (
            UserModel._default_manager.annotate(
                programs_coordinated=Count("enrolments", filter=Q(enrolments__role="coordinator"))
            )
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
