from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpResponse

from mentorpact.accounts import services


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's view, plus: a new password ends any sign-in pause on the account.

    The pause message tells people to reset their password; without this they would set a
    new one and still be refused until the cool-off ran out.
    """

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        services.clear_login_failures(email=form.user.email)  # from every client
        return response
