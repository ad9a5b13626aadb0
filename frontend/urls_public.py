from django.urls import path

from frontend.views import library, platform

app_name = "platform"

urlpatterns = [
    path("", platform.landing, name="landing"),
    path("library/", library.library, name="library"),
    path("library/feed/", library.library_feed, name="library-feed"),
    path("library/<uuid:record_uuid>/", library.library_record, name="library-record"),
]
