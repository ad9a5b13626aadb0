from django.urls import path

from frontend.views import platform

app_name = "platform"

urlpatterns = [
    path("", platform.landing, name="landing"),
]
