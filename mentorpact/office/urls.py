from django.urls import path

from mentorpact.office import views

app_name = "office"

program = "programs/<uuid:program_id>/"

urlpatterns = [
    path("programs/", views.programs, name="programs"),
    path("programs/mine/", views.my_programs, name="mine"),
    path(program + "archive/", views.archive, name="archive"),
    path(program + "settings/", views.program_settings, name="settings"),
    path(program + "coordinators/", views.add_coordinator, name="add_coordinator"),
    path(
        program + "coordinators/<uuid:user_id>/remove/",
        views.remove_coordinator,
        name="remove_coordinator",
    ),
    path(program + "people/", views.roster, name="roster"),
    path(program + "people/invite/", views.invite, name="invite"),
    path(program + "people/import/", views.import_people, name="import"),
    path(program + "people/import/<uuid:upload_id>/", views.confirm_import, name="confirm_import"),
    path(
        program + "people/import/<uuid:upload_id>/status/",
        views.import_status,
        name="import_status",
    ),
    path(program + "invitations/<uuid:invitation_id>/resend/", views.resend, name="resend"),
    path(program + "invitations/<uuid:invitation_id>/revoke/", views.revoke, name="revoke"),
    path(program + "deliveries/", views.deliveries, name="deliveries"),
    path(program + "deliveries/<uuid:email_id>/retry/", views.retry_delivery, name="retry"),
    path("invitations/<str:token>/", views.accept, name="accept"),
]
