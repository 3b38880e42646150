"""Routes of the units' lists (一单位一清单)."""

from django.urls import path

from vanguard.lists.views import edit, exchange, items

app_name = "lists"
urlpatterns = [
    path("", items.item_list, name="list"),
    path("import/", exchange.list_import, name="import"),
    path("import/apply/", exchange.list_import_apply, name="import_apply"),
    path("export.xlsx", exchange.list_export, name="export"),
    path("reports/<int:pk>/verify/", items.verify_report, name="verify"),
    path("reports/<int:pk>/return/", items.return_report, name="return"),
    path("i/<str:code>/", items.item_detail, name="detail"),
    path("i/<str:code>/report/", items.report_progress, name="report"),
    path("i/<str:code>/edit/", edit.item_edit, name="edit"),
]
