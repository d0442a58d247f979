from django.urls import path

from mentorpact.pairing import views

app_name = "pairing"

urlpatterns = [
    path("programs/<uuid:program_id>/pairing/", views.pairing_page, name="page"),
    path("partnerships/<uuid:code>/unpair/", views.unpair, name="unpair"),
]
