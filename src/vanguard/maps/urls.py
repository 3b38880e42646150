"""Routes of the map (一张网一张图)."""

from django.urls import path

from vanguard.maps import views

app_name = "maps"
urlpatterns = [path("", views.map_page, name="page")]
