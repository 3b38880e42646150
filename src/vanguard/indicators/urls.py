"""Routes of the indicators battle (the sheet's routes come first: an indicator code is a path)."""

from django.urls import path

from vanguard.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("<slug:code>/", views.indicator_detail, name="detail"),
    path("<slug:code>/enter/", views.enter_observation, name="enter"),
]
