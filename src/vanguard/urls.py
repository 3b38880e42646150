from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from vanguard import views
from vanguard.accounts.views import LoginView
from vanguard.api import api
from vanguard.core import metrics

handler400 = "vanguard.views.bad_request"

admin.site.site_header = "先锋 Vanguard"
admin.site.site_title = "先锋 Vanguard"

urlpatterns = [
    path("", include("vanguard.board.urls")),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", include([path("", auth_views.LogoutView.as_view(), name="logout")])),
    path("account/", include("vanguard.accounts.urls")),
    path("health/", views.health, name="health"),
    path("metrics", metrics.metrics, name="metrics"),
    path("org/", include("vanguard.org.urls")),
    path("notices/", include("vanguard.notices.urls")),
    path("projects/", include("vanguard.projects.urls")),
    # Sectors and key enterprises are pages of the indicators battle; their routes come
    # first, since an indicator's code takes any other path under it.
    path("indicators/", include("vanguard.enterprises.urls")),
    path("indicators/", include("vanguard.indicators.urls")),
    path("problems/", include("vanguard.blockers.urls")),
    path("lists/", include("vanguard.lists.urls")),
    path("city/", include("vanguard.citywork.urls")),
    path("open311/", include("vanguard.citywork.open311.urls")),
    # Citizens' photo reports (随手拍) and their tracking page: public, no login.
    path("report/", include("vanguard.citywork.public_urls")),
    path("map/", include("vanguard.maps.urls")),
    path("supervision/", include("vanguard.supervision.talks.urls")),
    path("supervision/", include("vanguard.supervision.orders.urls")),
    path("jobs/", include("vanguard.exchange.urls")),
    path("supervision/bulletins/", include("vanguard.supervision.bulletins.urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("favicon.ico", RedirectView.as_view(url="/static/vanguard/favicon.svg")),
]
