from django.urls import path

from mentorpact.pairing import views

app_name = "pairing"

urlpatterns = [
    path("programs/<uuid:program_id>/pairing/", views.pairing_page, name="page"),
    path("programs/<uuid:program_id>/pairing/csv/", views.pairing_csv, name="csv"),
    path("programs/<uuid:program_id>/pairing/csv/import/", views.import_csv, name="import_csv"),
    path("partnerships/<uuid:code>/unpair/", views.unpair, name="unpair"),
]
