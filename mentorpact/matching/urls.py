from django.urls import path

from mentorpact.matching import views

app_name = "matching"

urlpatterns = [
    path("programs/<uuid:program_id>/matching/questions/", views.questions, name="questions"),
    path("programs/<uuid:program_id>/matching/", views.profiles, name="profiles"),
    path("programs/<uuid:program_id>/matching/remind/", views.remind, name="remind"),
    path("programs/<uuid:program_id>/matching/run/", views.run, name="run"),
    path("programs/<uuid:program_id>/matching/profile/", views.profile, name="profile"),
    path("programs/<uuid:program_id>/matching/shortlist/", views.shortlist, name="shortlist"),
    path("programs/<uuid:program_id>/matching/mentees/", views.mentees, name="mentees"),
    path("matching/runs/<uuid:run_id>/", views.review, name="review"),
    path("matching/runs/<uuid:run_id>/publish/", views.publish, name="publish"),
]
