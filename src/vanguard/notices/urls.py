from django.urls import path

from vanguard.notices import views

app_name = "notices"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/read/", views.mark_read, name="read"),
    path("read-all/", views.mark_all_read, name="read_all"),
    path("deliveries/", views.deliveries, name="deliveries"),
    path("deliveries/<int:pk>/retry/", views.retry, name="retry"),
    path("robots/", views.webhooks, name="webhooks"),
    path("robots/<int:pk>/delete/", views.webhook_delete, name="webhook_delete"),
]
