"""Reading renewal projects: the filtered list with lights, a project's reports."""

from django.db.models import Count, OuterRef, Q, Subquery

from vanguard.citywork.choices import ReportState
from vanguard.citywork.lights import RENEWAL
from vanguard.citywork.models import RenewalKind, RenewalReport
from vanguard.citywork.queries.scope import renewal_for
from vanguard.supervision.choices import Light
from vanguard.supervision.lights import annotate_light

FILTERS = ("kind", "unit", "stage", "light", "state", "q")


def with_facts(projects, campaign):
    """Projects with their light and the number of reports waiting, one query."""
    waiting = (
        RenewalReport.objects.filter(project=OuterRef("pk"), state=ReportState.SUBMITTED)
        .order_by()
        .values("project")
        .annotate(n=Count("pk"))
        .values("n")
    )
    projects = annotate_light(projects, RENEWAL, campaign=campaign)
    return projects.annotate(waiting=Subquery(waiting)).select_related(
        "kind", "lead_unit", "responsible_person"
    )


def filtered(user, campaign, filters):
    """The projects ``user`` sees, narrowed by the list's filters."""
    projects = with_facts(renewal_for(user, campaign), campaign)
    if filters.get("kind"):
        projects = projects.filter(kind__code=filters["kind"])
    if filters.get("unit"):
        projects = projects.filter(lead_unit__code=filters["unit"])
    if filters.get("stage"):
        projects = projects.filter(stage=filters["stage"])
    if filters.get("light") in Light.values:
        projects = projects.filter(light=filters["light"])
    if filters.get("state") == "waiting":
        projects = projects.filter(
            pk__in=RenewalReport.objects.filter(state=ReportState.SUBMITTED).values("project")
        )
    if filters.get("q"):
        projects = projects.filter(
            Q(code__icontains=filters["q"]) | Q(name__icontains=filters["q"])
        )
    return projects.order_by("code")


def kinds():
    return RenewalKind.objects.order_by("sort_order", "code")


def reports_of(project):
    return (
        RenewalReport.objects.filter(project=project)
        .select_related("reported_by__person", "verified_by__person")
        .order_by("-period_start")
    )
