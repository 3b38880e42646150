"""Routes of the indicators battle (the sheet's routes come first: an indicator code is a path).

Sectors and key enterprises have their routes under the same path (``enterprises.urls``).
"""

from django.urls import path

from vanguard.indicators.views import exchange, figures, indicators, outlook, pack

app_name = "indicators"
urlpatterns = [
    path("", indicators.overview, name="overview"),
    path("import/", exchange.statistics_import, name="import"),
    path("import/apply/", exchange.statistics_import_apply, name="import_apply"),
    path("export.xlsx", exchange.statistics_export, name="export"),
    path("forecast/", outlook.forecast_page, name="forecast"),
    path("pack/", pack.pack_page, name="pack"),
    path("pack.docx", pack.pack_docx, name="pack_docx"),
    path("pack.xlsx", pack.pack_xlsx, name="pack_xlsx"),
    path("<slug:code>/", indicators.indicator_detail, name="detail"),
    path("<slug:code>/enter/", figures.enter_observation, name="enter"),
]
