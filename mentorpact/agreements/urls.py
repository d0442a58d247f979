from django.urls import path

from mentorpact.agreements import views

app_name = "agreements"

agreement = "partnerships/<uuid:code>/agreement/"

urlpatterns = [
    path(agreement, views.agreement, name="agreement"),
    path(agreement + "sign/", views.sign, name="sign"),
    path(agreement + "consent/withdraw/", views.withdraw_consent, name="withdraw_consent"),
    path(agreement + "amend/", views.amend, name="amend"),
    path(agreement + "history/", views.history, name="history"),
    path(agreement + "versions/<int:number>/", views.version, name="version"),
    path(agreement + "versions/<int:number>/pdf/", views.version_pdf, name="pdf"),
    path("verify/", views.verify, name="verify"),
]
