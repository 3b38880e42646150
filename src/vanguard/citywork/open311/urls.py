"""Routes of Open311 GeoReport v2: /open311/discovery.{fmt} and /open311/v2/…{fmt}."""

from django.urls import path, register_converter

from vanguard.citywork.open311 import views


class FormatConverter:
    """The format a client asks for by the file extension: xml or json."""

    regex = "xml|json"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(FormatConverter, "fmt")

app_name = "open311"
urlpatterns = [
    path("discovery.<fmt:fmt>", views.discovery, name="discovery"),
    path("v2/discovery.<fmt:fmt>", views.discovery, name="v2_discovery"),
    path("v2/services.<fmt:fmt>", views.services, name="services"),
    path("v2/services/<slug:code>.<fmt:fmt>", views.service_definition, name="service"),
    path("v2/requests.<fmt:fmt>", views.requests, name="requests"),
    path("v2/requests/<slug:number>.<fmt:fmt>", views.request_detail, name="request"),
    path("v2/tokens/<slug:token>.<fmt:fmt>", views.token_detail, name="token"),
]
