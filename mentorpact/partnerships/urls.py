from django.urls import path

from mentorpact.partnerships import views

app_name = "partnerships"

urlpatterns = [
    path("", views.my_partnerships, name="mine"),
    path("<uuid:code>/", views.partnership_detail, name="detail"),
]
