from django.urls import path

from vanguard.board import views

app_name = "board"
urlpatterns = [
    path("", views.campaign_overview, name="overview"),
    path("campaigns/<slug:code>/", views.campaign_overview, name="campaign"),
    path("campaigns/<slug:campaign>/targets/<slug:code>/", views.target_detail, name="target"),
]
