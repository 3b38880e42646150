"""Routes of city work (城市更新管理)."""

from django.urls import path

from vanguard.citywork.views import grids

app_name = "citywork"
urlpatterns = [
    path("grids/<slug:code>/", grids.grid_detail, name="grid"),
]
