from django.urls import path

from vanguard.supervision.bulletins import views

app_name = "bulletins"
urlpatterns = [
    path("", views.bulletin_list, name="list"),
    path("draft/", views.bulletin_draft, name="draft"),
    path("rules/", views.rule_list, name="rules"),
    path("rules/<int:pk>/", views.rule_detail, name="rule"),
    path("<int:pk>/", views.bulletin_detail, name="detail"),
    path("<int:pk>/edit/", views.bulletin_edit, name="edit"),
    path("<int:pk>/issue/", views.bulletin_issue, name="issue"),
    path("<int:pk>/correct/", views.bulletin_correct, name="correct"),
    path("<int:pk>/bulletin.docx", views.bulletin_docx_download, name="docx"),
    path("<int:pk>/ranking.xlsx", views.bulletin_xlsx_download, name="xlsx"),
]
