from django.urls import path

from mentorpact.support import views

app_name = "support"

urlpatterns = [
    path("partnerships/<uuid:code>/help/", views.ask, name="ask"),
    path("help/<uuid:request_id>/", views.request_page, name="request"),
    path("help/<uuid:request_id>/close/", views.close, name="close"),
    path("programs/<uuid:program_id>/help/", views.queue, name="queue"),
]
