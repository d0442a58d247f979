from django.urls import path

from mentorpact.meetings import views

app_name = "meetings"

partnership = "partnerships/<uuid:code>/"
meeting = partnership + "meetings/<uuid:meeting_id>/"

urlpatterns = [
    path(partnership + "meetings/", views.meeting_log, name="log"),
    path(partnership + "meetings/new/", views.schedule, name="schedule"),
    path(partnership + "meetings/record/", views.record_past, name="record_past"),
    path(meeting, views.meeting_detail, name="detail"),
    path(meeting + "held/", views.record_held, name="held"),
    path(meeting + "reschedule/", views.reschedule, name="reschedule"),
    path(meeting + "cancel/", views.cancel, name="cancel"),
    path(meeting + "calendar.ics", views.meeting_ics, name="ics"),
    path(meeting + "feedback/", views.feedback, name="feedback"),
    path(meeting + "notes/", views.add_note, name="add_meeting_note"),
    path(partnership + "notes/", views.add_note, name="add_note"),
    path(partnership + "notes/<uuid:note_id>/edit/", views.edit_note, name="edit_note"),
    path("calendar/", views.calendar_settings, name="calendar"),
    path("calendar/feed/", views.create_feed, name="create_feed"),
    path("calendar/feed/revoke/", views.revoke_feed, name="revoke_feed"),
    path("calendar/feed/<str:token>.ics", views.feed, name="feed"),
]
