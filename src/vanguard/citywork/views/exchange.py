"""The renewal projects workbook (the office loads projects and exports them in that layout)
and the 12345 sheet (tickets the hotline hands over become cases).

The import goes through the one import flow (``exchange.views.ImportFlow``): the upload
is kept and dry-run, the preview shows every row's changes and every problem with its
sheet, row and column, and "apply" runs the same file again in one transaction.
"""

from django.contrib.auth.decorators import login_required
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vanguard.citywork.queries.scope import renewal_for
from vanguard.citywork.sheets.hotline import HotlineImporter, hotline_template
from vanguard.citywork.sheets.renewal import RenewalImporter, renewal_sheet
from vanguard.exchange.views import ImportFlow
from vanguard.exchange.xlsx import xlsx_response
from vanguard.org import access
from vanguard.org.queries import current_campaign


def _scope(values):
    return {"campaign": current_campaign(values.get("campaign"))}


def _applied_message(counts):
    return _(
        "Renewal projects loaded: {created} new, {updated} changed, {unchanged} unchanged."
    ).format(created=counts["create"], updated=counts["update"], unchanged=counts["unchanged"])


RENEWAL_WORKBOOK = ImportFlow(
    kind="renewal",
    title=gettext_lazy("Load renewal projects"),
    check_title=gettext_lazy("Load renewal projects: check before applying"),
    failed_title=gettext_lazy("Load renewal projects: nothing was saved"),
    require=lambda user, values: access.require_manage_weekly_work(user),
    scope=_scope,
    params=lambda scope: {"campaign": scope["campaign"].code},
    build=lambda user, scope: RenewalImporter(actor=user, campaign=scope["campaign"]),
    upload_template="citywork/renewal_import.html",
    upload_url="citywork:renewal_import",
    apply_url="citywork:renewal_import_apply",
    done_url=lambda importer: reverse("citywork:renewal_list"),
    in_request=True,
    applied_message=_applied_message,
)

# Upload the renewal projects workbook; a dry run shows what would change.
renewal_import = RENEWAL_WORKBOOK.upload_view()
# Apply a previewed workbook in one transaction.
renewal_import_apply = RENEWAL_WORKBOOK.apply_view()


@login_required
def renewal_export(request):
    """Every project the person sees, in the layout the import reads."""
    access.require_participant(request.user)
    campaign = current_campaign(request.GET.get("campaign"))
    at = timezone.localtime()
    caption = [
        _("{campaign}: urban renewal projects").format(campaign=campaign.name),
        _("Data as of {at}").format(at=at.strftime("%Y-%m-%d %H:%M")),
    ]
    return xlsx_response(
        _("{campaign} renewal projects {day}.xlsx").format(
            campaign=campaign.name, day=at.strftime("%Y%m%d")
        ),
        [renewal_sheet(renewal_for(request.user, campaign), caption=caption)],
    )


def _hotline_applied(counts):
    return _(
        "12345 tickets loaded: {created} new cases, {unchanged} tickets already taken in."
    ).format(created=counts["create"], unchanged=counts["unchanged"])


HOTLINE_WORKBOOK = ImportFlow(
    kind="hotline",
    title=gettext_lazy("Load 12345 tickets"),
    check_title=gettext_lazy("Load 12345 tickets: check before applying"),
    failed_title=gettext_lazy("Load 12345 tickets: nothing was saved"),
    require=lambda user, values: access.require_keep_cases(user),
    scope=_scope,
    params=lambda scope: {"campaign": scope["campaign"].code},
    build=lambda user, scope: HotlineImporter(actor=user, campaign=scope["campaign"]),
    upload_template="citywork/hotline_import.html",
    upload_url="citywork:hotline_import",
    apply_url="citywork:hotline_import_apply",
    done_url=lambda importer: reverse("citywork:battle"),
    in_request=True,
    applied_message=_hotline_applied,
)

# Upload a 12345 sheet; a dry run shows the new cases and every problem.
hotline_import = HOTLINE_WORKBOOK.upload_view()
# Take the previewed tickets in, in one transaction.
hotline_import_apply = HOTLINE_WORKBOOK.apply_view()


@login_required
def hotline_template_download(request):
    """The 12345 sheet's layout, with one example row."""
    access.require_keep_cases(request.user)
    return xlsx_response(_("12345 tickets template.xlsx"), [hotline_template()])
