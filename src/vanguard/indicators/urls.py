"""Routes of the indicators battle (the sheet's routes come first: an indicator code is a path).

Sectors and key enterprises have their routes under the same path (``enterprises.urls``).
"""

from django.urls import path

from vanguard.indicators import views, views_exchange, views_outlook

app_name = "indicators"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("import/", views_exchange.statistics_import, name="import"),
    path("import/apply/", views_exchange.statistics_import_apply, name="import_apply"),
    path("export.xlsx", views_exchange.statistics_export, name="export"),
    path("forecast/", views_outlook.forecast_page, name="forecast"),
    path("pack/", views_outlook.pack_page, name="pack"),
    path("pack.docx", views_outlook.pack_docx, name="pack_docx"),
    path("pack.xlsx", views_outlook.pack_xlsx, name="pack_xlsx"),
    path("<slug:code>/", views.indicator_detail, name="detail"),
    path("<slug:code>/enter/", views.enter_observation, name="enter"),
]
