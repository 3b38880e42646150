"""Routes of the public pages (no login): the photo report (随手拍) and its tracking page,
at /report/, short enough to print on a poster or a QR code."""

from django.urls import path

from vanguard.citywork.views.public import report, track

app_name = "report"
urlpatterns = [
    path("", report.report, name="new"),
    path("nearby/", report.nearby, name="nearby"),
    path("support/", report.support, name="support"),
    path("thanks/<str:code>/", report.thanks, name="thanks"),
    path("track/", track.track_lookup, name="track_lookup"),
    path("track/<str:code>/", track.track, name="track"),
]
