from django.urls import path

from mentorpact.programs import views

app_name = "programs"

urlpatterns = [
    path("<uuid:program_id>/", views.program_overview, name="overview"),
]
