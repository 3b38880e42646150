"""Routes of the open-problems pages."""

from django.urls import path

from vanguard.blockers import views

app_name = "blockers"
urlpatterns = [
    path("", views.problem_list, name="list"),
    path("<int:pk>/", views.problem_detail, name="detail"),
    path("<int:pk>/dispatch/", views.dispatch_problem, name="dispatch"),
    path("<int:pk>/follow-up/", views.follow_up_problem, name="follow_up"),
    path("<int:pk>/resolve/", views.resolve_problem, name="resolve"),
]
