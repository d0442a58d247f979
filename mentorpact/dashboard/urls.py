from django.urls import path, register_converter

from mentorpact.dashboard import views


class Format:
    regex = "csv|xlsx"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(Format, "sheetformat")

app_name = "dashboard"

urlpatterns = [
    path("programs/<uuid:program_id>/dashboard/", views.dashboard, name="page"),
    path("programs/<uuid:program_id>/dashboard/pairs/", views.pairs, name="pairs"),
    path(
        "programs/<uuid:program_id>/dashboard/export/<slug:kind>.<sheetformat:fmt>",
        views.export,
        name="export",
    ),
    path("programs/<uuid:program_id>/dashboard/report/", views.report, name="report"),
    path("programs/<uuid:program_id>/dashboard/report.pdf", views.report_pdf, name="report_pdf"),
    path(
        "programs/<uuid:program_id>/dashboard/agreements-zip/",
        views.zip_request,
        name="zip_request",
    ),
    path(
        "programs/<uuid:program_id>/dashboard/agreements-zip/<uuid:zip_id>/",
        views.zip_status,
        name="zip_status",
    ),
    path(
        "programs/<uuid:program_id>/dashboard/agreements-zip/<uuid:zip_id>/signed-agreements.zip",
        views.zip_download,
        name="zip_download",
    ),
]
