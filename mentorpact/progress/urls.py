from django.urls import path

from mentorpact.progress import views

app_name = "progress"

base = "partnerships/<uuid:code>/"

urlpatterns = [
    path(base + "plan/", views.plan, name="plan"),
    path(base + "plan/start/", views.start_plan, name="start_plan"),
    path(base + "plan/complete/", views.complete_plan, name="complete_plan"),
    path(base + "plan/add-goals/", views.add_goals, name="add_goals"),
    path(base + "plan/items/<uuid:item_id>/", views.plan_item, name="plan_item"),
    path(base + "plan/commitments/<uuid:commitment_id>/", views.commitment, name="commitment"),
    path(base + "midpoint/", views.midpoint, name="midpoint"),
    path(base + "closing/", views.closing, name="closing"),
    path(base + "closing/confirm/", views.confirm_closing, name="confirm_closing"),
    path(base + "closing/withdraw/", views.withdraw_closing, name="withdraw_closing"),
    path(base + "thank-you/", views.thank_you, name="thank_you"),
    path(base + "record.zip", views.record_zip, name="record"),
]
