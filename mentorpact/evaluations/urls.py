from django.urls import path

from mentorpact.evaluations import views

app_name = "evaluations"

urlpatterns = [
    path("programs/<uuid:program_id>/evaluations/", views.program_evaluations, name="program"),
    path("evaluations/", views.mine, name="mine"),
    path("evaluations/<uuid:evaluation_id>/", views.summary, name="summary"),
    path("evaluations/<uuid:evaluation_id>/edit/", views.edit, name="edit"),
    path("evaluations/<uuid:evaluation_id>/close/", views.close, name="close"),
    path(
        "evaluations/<uuid:evaluation_id>/<uuid:code>/<slug:key>/",
        views.answer,
        name="answer",
    ),
]
