from django.urls import path

from mentorpact.confidentiality import views

app_name = "confidentiality"

urlpatterns = [
    path("partnerships/<uuid:code>/confidentiality/", views.page, name="page"),
    path("partnerships/<uuid:code>/confidentiality/propose/", views.propose, name="propose"),
    path(
        "partnerships/<uuid:code>/confidentiality/<uuid:disclosure_id>/agree/",
        views.agree,
        name="agree",
    ),
    path(
        "partnerships/<uuid:code>/confidentiality/<uuid:disclosure_id>/revoke/",
        views.revoke,
        name="revoke",
    ),
    path(
        "partnerships/<uuid:code>/confidentiality/<uuid:disclosure_id>/use/",
        views.log_use,
        name="log_use",
    ),
    path("partnerships/<uuid:code>/confidentiality/danger/", views.danger, name="danger"),
    path("confidentiality/danger/<uuid:record_id>/", views.danger_record, name="danger_record"),
    path("confidentiality/danger/<uuid:record_id>/told/", views.mentee_told, name="mentee_told"),
    path("programs/<uuid:program_id>/safeguarding/", views.contact, name="contact"),
]
