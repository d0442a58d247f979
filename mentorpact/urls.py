from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from mentorpact import views
from mentorpact.api.v1 import api as api_v1
from mentorpact.workspace import urls as workspace

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="partnerships:mine"), name="home"),
    path("accounts/", include("mentorpact.accounts.urls")),
    path("accounts/", include("mentorpact.privacy.urls")),
    path("sso/", include("mentorpact.sso.urls")),
    path("partnerships/", include(workspace.partnership_urls)),
    path("", include("mentorpact.office.urls")),
    path("programs/", include(workspace.program_urls)),
    path("", include("mentorpact.agreements.urls")),
    path("", include("mentorpact.agreement_templates.urls")),
    path("", include("mentorpact.meetings.urls")),
    path("", include("mentorpact.progress.urls")),
    path("", include("mentorpact.pairing.urls")),
    path("", include("mentorpact.matching.urls")),
    path("", include("mentorpact.support.urls")),
    path("", include("mentorpact.confidentiality.urls")),
    path("", include("mentorpact.events.urls")),
    path("", include("mentorpact.evaluations.urls")),
    path("", include("mentorpact.dashboard.urls")),
    path("", include("mentorpact.webhooks.urls")),
    path("api/v1/", api_v1.urls),
    path("health/", views.health, name="health"),
    path("admin/", admin.site.urls),
]

handler400 = "mentorpact.views.bad_request"
handler404 = "mentorpact.views.page_not_found"
handler403 = "mentorpact.views.permission_denied"
handler500 = "mentorpact.views.server_error"
