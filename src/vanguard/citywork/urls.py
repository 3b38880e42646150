"""Routes of city work (城市更新管理)."""

from django.urls import path, register_converter

from vanguard.citywork.views import (
    battle,
    campaigns,
    case_categories,
    case_detail,
    cases,
    exchange,
    grids,
    patrols,
    photos,
    places,
    renewal,
    volunteer_public,
    volunteers,
)


class Sha256Converter:
    """A photo's address: the SHA-256 of its public copy, 64 lower-case hex digits."""

    regex = "[0-9a-f]{64}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(Sha256Converter, "sha256")

app_name = "citywork"
urlpatterns = [
    path("", battle.battle, name="battle"),
    path("grids/<slug:code>/", grids.grid_detail, name="grid"),
    path("weekly/", battle.weekly, name="weekly"),
    path("weekly.xlsx", battle.weekly_export, name="weekly_export"),
    # 12345 tickets taken in from the hotline's sheet.
    path("cases/hotline/import/", exchange.hotline_import, name="hotline_import"),
    path("cases/hotline/import/apply/", exchange.hotline_import_apply, name="hotline_import_apply"),
    path(
        "cases/hotline/template.xlsx", exchange.hotline_template_download, name="hotline_template"
    ),
    # Urban renewal projects.
    path("renewal/", renewal.renewal_list, name="renewal_list"),
    path("renewal/kinds/", renewal.renewal_kinds, name="renewal_kinds"),
    path("renewal/import/", exchange.renewal_import, name="renewal_import"),
    path("renewal/import/apply/", exchange.renewal_import_apply, name="renewal_import_apply"),
    path("renewal/export.xlsx", exchange.renewal_export, name="renewal_export"),
    path("renewal/reports/<int:pk>/verify/", renewal.renewal_verify, name="renewal_verify"),
    path("renewal/reports/<int:pk>/return/", renewal.renewal_return, name="renewal_return"),
    path("renewal/p/<str:code>/", renewal.renewal_detail, name="renewal_detail"),
    path("renewal/p/<str:code>/report/", renewal.renewal_report, name="renewal_report"),
    # City-management campaigns.
    path("campaigns/", campaigns.campaign_list, name="campaign_list"),
    path("campaigns/new/", campaigns.campaign_new, name="campaign_new"),
    path("campaigns/reports/<int:pk>/verify/", campaigns.campaign_verify, name="campaign_verify"),
    path("campaigns/reports/<int:pk>/return/", campaigns.campaign_return, name="campaign_return"),
    path("campaigns/c/<str:code>/", campaigns.campaign_detail, name="campaign_detail"),
    path("campaigns/c/<str:code>/report/", campaigns.campaign_report, name="campaign_report"),
    path("campaigns/c/<str:code>/edit/", campaigns.campaign_edit, name="campaign_edit"),
    path("campaigns/c/<str:code>/week/", campaigns.campaign_week, name="campaign_week"),
    # Demonstration zones and model roads.
    path("places/", places.place_list, name="place_list"),
    path("places/new/", places.place_new, name="place_new"),
    path("places/criteria/", places.criteria_page, name="criteria"),
    path("places/p/<str:code>/", places.place_detail, name="place_detail"),
    path("places/p/<str:code>/inspect/", places.place_inspect, name="place_inspect"),
    path("places/p/<str:code>/apply/", places.place_apply, name="place_apply"),
    path("places/p/<str:code>/accept/", places.place_accept, name="place_accept"),
    path("places/p/<str:code>/return/", places.place_return, name="place_return"),
    path("places/p/<str:code>/edit/", places.place_edit, name="place_edit"),
    # Patrols (巡查): the member's phone pages, and the checks (核查) of handled cases.
    path("patrol/", patrols.patrol_home, name="patrol"),
    path("patrol/start/", patrols.patrol_start, name="patrol_start"),
    path("patrol/checks/", patrols.patrol_checks, name="patrol_checks"),
    path("patrol/checks/<int:pk>/", patrols.patrol_check, name="patrol_check"),
    path("patrol/p/<int:pk>/", patrols.patrol_detail, name="patrol_detail"),
    path("patrol/p/<int:pk>/record/", patrols.patrol_record, name="patrol_record"),
    path("patrol/p/<int:pk>/end/", patrols.patrol_end, name="patrol_end"),
    # Volunteer activities (志愿服务): the organisers' pages and the weekly count.
    path("activities/", volunteers.activity_list, name="activity_list"),
    path("activities/new/", volunteers.activity_new, name="activity_new"),
    path("activities/weekly/", volunteers.activity_weekly, name="activity_weekly"),
    path(
        "activities/weekly.xlsx",
        volunteers.activity_weekly_export,
        name="activity_weekly_export",
    ),
    path("activities/a/<int:pk>/", volunteers.activity_detail, name="activity_detail"),
    path("activities/a/<int:pk>/edit/", volunteers.activity_edit, name="activity_edit"),
    path("activities/a/<int:pk>/held/", volunteers.activity_held, name="activity_held"),
    path("activities/a/<int:pk>/problem/", volunteers.activity_problem, name="activity_problem"),
    path("activities/a/<int:pk>/cancel/", volunteers.activity_cancel, name="activity_cancel"),
    # The public page: residents see the activities to come and sign up, without an account.
    path("volunteer/", volunteer_public.upcoming, name="volunteer"),
    path("volunteer/<int:pk>/", volunteer_public.signup, name="volunteer_signup"),
    # The photo store: public copies and thumbnails by their hash; originals to few.
    path("photos/<sha256:digest>.jpg", photos.photo, name="photo"),
    path("photos/<sha256:digest>.thumb.jpg", photos.photo_thumbnail, name="photo_thumbnail"),
    path("photos/<sha256:digest>/original/", photos.photo_original, name="photo_original"),
    # City cases (城市管理案件).
    path("cases/", cases.case_list, name="case_list"),
    path("cases/export.xlsx", cases.case_export, name="case_export"),
    path("cases/new/", cases.case_new, name="case_new"),
    path("cases/categories/", case_categories.category_list, name="case_categories"),
    path("cases/categories/new/", case_categories.category_new, name="case_category_new"),
    path("cases/categories/routes/", case_categories.route_add, name="case_route_add"),
    path(
        "cases/categories/routes/<int:pk>/remove/",
        case_categories.route_remove,
        name="case_route_remove",
    ),
    path(
        "cases/categories/<slug:code>/edit/",
        case_categories.category_edit,
        name="case_category_edit",
    ),
    path("cases/<str:number>/", case_detail.case_detail, name="case_detail"),
    # Each step of a case's flow, posted from its page: case_register, case_dispatch, ...
    *[
        path(
            "cases/<str:number>/{}/".format(step),
            case_detail.case_step,
            {"step": step},
            name="case_" + step.replace("-", "_"),
        )
        for step in case_detail.STEPS
    ],
]
