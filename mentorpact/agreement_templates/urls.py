from django.urls import path

from . import views

app_name = "agreement_templates"

program = "programs/<uuid:program_id>/template/"
template = "templates/<slug:slug>/"

urlpatterns = [
    path(program, views.program_template, name="program"),
    path(program + "choose/", views.choose, name="choose"),
    path(program + "clone/", views.clone, name="clone"),
    path(program + "new/", views.new, name="new"),
    path("templates/format/", views.reference, name="reference"),
    path(template + "build/", views.build, name="build"),
    path(template + "edit/", views.edit, name="edit"),
    path(template + "preview/", views.preview, name="preview"),
    path(template + "print/", views.print_layout, name="print"),
    path(template + "print.pdf", views.print_pdf, name="pdf"),
]
