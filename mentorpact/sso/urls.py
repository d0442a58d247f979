from django.urls import path

from mentorpact.sso import views

app_name = "sso"

urlpatterns = [
    path("providers/", views.providers, name="providers"),
    path("providers/new/", views.new_provider, name="new_provider"),
    path("providers/<uuid:provider_id>/", views.provider, name="provider"),
    path("<uuid:provider_id>/start/", views.start, name="start"),
    path("<uuid:provider_id>/callback/", views.callback, name="callback"),
]
