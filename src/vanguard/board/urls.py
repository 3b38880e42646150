from django.urls import path

from vanguard.board import screen_views, views

app_name = "board"
urlpatterns = [
    path("", views.campaign_overview, name="overview"),
    path("board/screen/", screen_views.screen, name="screen"),
    path("board/screen/data/", screen_views.screen_data_view, name="screen_data"),
    path("campaigns/<slug:code>/", views.campaign_overview, name="campaign"),
    path("campaigns/<slug:campaign>/targets/<slug:code>/", views.target_detail, name="target"),
]
