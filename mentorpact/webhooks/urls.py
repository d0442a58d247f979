from django.urls import path

from mentorpact.webhooks import views

app_name = "webhooks"

program = "programs/<uuid:program_id>/webhooks/"

urlpatterns = [
    path(program, views.program, name="program"),
    path(program + "<uuid:endpoint_id>/remove/", views.remove, name="remove"),
]
