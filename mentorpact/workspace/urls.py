"""The workspace's pages keep the URL names they had before they moved here
("partnerships:mine", "partnerships:detail", "programs:overview"): two namespaces, included
from mentorpact/urls.py."""

from django.urls import path

from mentorpact.workspace import views

partnership_urls = (
    [
        path("", views.my_partnerships, name="mine"),
        path("<uuid:code>/", views.partnership_detail, name="detail"),
    ],
    "partnerships",
)

program_urls = (
    [
        path("<uuid:program_id>/", views.program_overview, name="overview"),
    ],
    "programs",
)
