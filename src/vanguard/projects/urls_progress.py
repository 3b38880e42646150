"""Routes of target progress and the monthly progress charts (进度图)."""

from django.urls import path

from vanguard.projects import views_progress

urlpatterns = [
    path("progress/", views_progress.progress_page, name="progress"),
    path("progress/export.xlsx", views_progress.progress_export, name="progress_export"),
    path("units/lights/", views_progress.unit_lights_page, name="unit_lights"),
]
