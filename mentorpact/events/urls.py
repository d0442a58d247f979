from django.urls import path

from mentorpact.events import views

app_name = "events"

urlpatterns = [
    path("programs/<uuid:program_id>/events/", views.program_events, name="program"),
    path("events/", views.my_events, name="mine"),
    path("events/<uuid:event_id>/", views.event, name="event"),
    path("events/<uuid:event_id>/event.ics", views.ics, name="ics"),
    path("events/<uuid:event_id>/attendance/", views.attendance, name="attendance"),
    path("events/<uuid:event_id>/attendees.csv", views.attendees_csv, name="attendees_csv"),
]
