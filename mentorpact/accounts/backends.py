from django.contrib.auth.backends import ModelBackend

from mentorpact.accounts import services


class ThrottledEmailBackend(ModelBackend):
    """Email and password, refused outright during an address's cool-off.

    Every sign-in path (our page and the admin's) goes through here, so the limit cannot be
    sidestepped by choosing another form.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        email = username or kwargs.get("email")
        if email is None or password is None:
            return None
        if services.login_locked_for(email=email):
            return None
        user = super().authenticate(request, username=email.strip().lower(), password=password)
        if user is None:
            services.record_login_failure(email=email)
        else:
            services.clear_login_failures(email=email)
        return user
