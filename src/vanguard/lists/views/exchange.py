"""The list workbook: the office loads the units' lists and exports them in the same layout.

The import goes through the one import flow (exchange.views.ImportFlow): the upload is
kept and dry-run, the preview shows every row's changes and every problem with its
sheet, row and column, and "apply" runs the same file again in one transaction.
"""

from django.contrib.auth.decorators import login_required
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vanguard.exchange.views import ImportFlow
from vanguard.exchange.xlsx import xlsx_response
from vanguard.lists.queries import items_for
from vanguard.lists.sheets.export import list_workbook
from vanguard.lists.sheets.importer import ListImporter
from vanguard.org import access
from vanguard.org.queries import current_campaign


def _scope(values):
    return {"campaign": current_campaign(values.get("campaign"))}


def _params(scope):
    return {"campaign": scope["campaign"].code}


def _applied_message(counts):
    return _("Lists loaded: {created} new, {updated} changed, {unchanged} unchanged.").format(
        created=counts["create"], updated=counts["update"], unchanged=counts["unchanged"]
    )


LIST_WORKBOOK = ImportFlow(
    kind="lists",
    title=gettext_lazy("Load the units' lists"),
    check_title=gettext_lazy("Load the units' lists: check before applying"),
    failed_title=gettext_lazy("Load the units' lists: nothing was saved"),
    require=lambda user, values: access.require_manage_lists(user),
    scope=_scope,
    params=_params,
    build=lambda user, scope: ListImporter(actor=user, campaign=scope["campaign"]),
    upload_template="lists/import.html",
    upload_url="lists:import",
    apply_url="lists:import_apply",
    done_url=lambda importer: reverse("lists:list"),
    in_request=True,
    applied_message=_applied_message,
)

# Upload the units' list workbook; a dry run shows what would change.
list_import = LIST_WORKBOOK.upload_view()
# Apply a previewed workbook in one transaction.
list_import_apply = LIST_WORKBOOK.apply_view()


@login_required
def list_export(request):
    """Every item the office sees and its checkpoints, in the layout the import reads."""
    access.require_manage_lists(request.user)
    campaign = current_campaign(request.GET.get("campaign"))
    at = timezone.localtime()
    caption = [
        _("{campaign}: the units' lists").format(campaign=campaign.name),
        _("Data as of {at}").format(at=at.strftime("%Y-%m-%d %H:%M")),
    ]
    sheets = list_workbook(items_for(request.user, campaign), caption=caption)
    return xlsx_response(
        _("{campaign} unit lists {day}.xlsx").format(
            campaign=campaign.name, day=at.strftime("%Y%m%d")
        ),
        sheets,
    )
