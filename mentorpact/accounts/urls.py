from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from mentorpact.accounts import views
from mentorpact.accounts.forms import PasswordResetForm, SignInForm

app_name = "accounts"

# Django's auth views put the request's host in `site_name`, hiding the product's name.
BRAND = {"site_name": settings.SITE_NAME}

urlpatterns = [
    path(
        "sign-in/",
        views.SignInView.as_view(
            extra_context=BRAND,
            template_name="accounts/sign_in.html",
            authentication_form=SignInForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", views.profile, name="profile"),
    path("profile/email/", views.email_change, name="email_change"),
    path("profile/tokens/", views.token_create, name="token_create"),
    path("profile/tokens/<uuid:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("email/<str:token>/", views.email_confirm, name="email_confirm"),
    path(
        "password/",
        views.PasswordChangeView.as_view(extra_context=BRAND),
        name="password_change",
    ),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            extra_context=BRAND,
            form_class=PasswordResetForm,
            template_name="accounts/password_reset.html",
            email_template_name="emails/password-reset-body.txt",
            html_email_template_name="emails/password-reset-body.html",
            subject_template_name="emails/password-reset-subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            extra_context=BRAND, template_name="accounts/password_reset_done.html"
        ),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(
            extra_context=BRAND,
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            extra_context=BRAND, template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]
