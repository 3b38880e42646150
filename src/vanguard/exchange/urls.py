from django.urls import path

from vanguard.exchange import views

app_name = "exchange"

urlpatterns = [
    path("<uuid:pk>/", views.job_detail, name="job"),
    path("<uuid:pk>/progress/", views.job_progress, name="job_progress"),
    path("<uuid:pk>/status.json", views.job_status, name="job_status"),
    path("<uuid:pk>/download/", views.job_download, name="job_download"),
]
