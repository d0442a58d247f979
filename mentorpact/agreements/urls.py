from django.urls import path

from mentorpact.agreements import views

app_name = "agreements"

agreement = "partnerships/<uuid:code>/agreement/"
# A version is named by its agreement's number as well as its own: after "continue with new
# goals" a partnership has several agreements, each with its own version 1.
version = "partnerships/<uuid:code>/agreements/<int:agreement>/versions/<int:number>/"

urlpatterns = [
    path(agreement, views.agreement, name="agreement"),
    path(agreement + "start/", views.start, name="start"),
    path(agreement + "steps/", views.steps, name="steps"),
    path(agreement + "steps/<slug:section>/", views.step, name="step"),
    path(agreement + "sign/", views.sign, name="sign"),
    path(agreement + "consent/withdraw/", views.withdraw_consent, name="withdraw_consent"),
    path(agreement + "signers/", views.name_signer, name="name_signer"),
    path("sign/<str:token>/", views.invited_sign, name="invited_sign"),
    path(agreement + "amend/", views.amend, name="amend"),
    path(agreement + "history/", views.history, name="history"),
    path(version, views.version, name="version"),
    path(version + "pdf/", views.version_pdf, name="pdf"),
    path("verify/", views.verify, name="verify"),
]
