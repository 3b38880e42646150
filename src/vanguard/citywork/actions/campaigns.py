"""Writes of the city-management campaigns: the campaign, its weekly plan, its weekly reports."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vanguard.audit.choices import ChangeAction
from vanguard.audit.log import Change, record_changes, snapshot
from vanguard.citywork.actions.common import (
    check_version,
    field_errors,
    file_report,
    locked_report,
    mark_verified,
    owner_errors,
    plain_snapshot,
    recompute,
    return_report,
    week_to_report,
)
from vanguard.citywork.models import CampaignReport, CampaignWeek, CityCampaign
from vanguard.citywork.weeks import WeekDue, read_week, weeks_between
from vanguard.org import access

CAMPAIGN_FIELDS = (
    "name",
    "lead_unit",
    "responsible_person",
    "measure",
    "measuring_unit",
    "weekly_target",
    "start_date",
    "end_date",
    "description",
)


def check_city_campaign(fields, campaign):
    """Refuse what cannot be true of a city-management campaign, naming the field."""
    errors = {}
    for name in ("name", "measure", "measuring_unit"):
        fields[name] = " ".join((fields.get(name) or "").split())
    if not fields["name"]:
        errors["name"] = _("Give the campaign's name.")
    if not fields["measure"]:
        errors["measure"] = _("Say what the campaign counts (cases closed, area removed, ...).")
    if not fields["measuring_unit"]:
        errors["measuring_unit"] = _("Give the measuring unit (件, 平方米, 条, ...).")
    owner_errors(fields, errors)
    target = fields.get("weekly_target")
    if target is None or Decimal(target) <= 0:
        errors["weekly_target"] = _("Give the quantity planned each week, above zero.")
    start, end = fields.get("start_date"), fields.get("end_date")
    if start is None:
        errors["start_date"] = _("Give the day the campaign starts.")
    if end is None:
        errors["end_date"] = _("Give the day the campaign ends.")
    elif start is not None and end < start:
        errors["end_date"] = _("The end ({end}) is before the start ({start}).").format(
            end=end, start=start
        )
    elif end > campaign.end_date:
        errors["end_date"] = _("{name} ends on {end}; the campaign's weeks lie within it.").format(
            name=campaign.name, end=campaign.end_date
        )
    if start is not None and start.year < campaign.year:
        errors["start_date"] = _("The campaign's weeks begin in {year} at the earliest.").format(
            year=campaign.year
        )
    fields["description"] = (fields.get("description") or "").strip()
    field_errors(errors)
    return fields


def _plan_weeks(city_campaign, weeks_due, *, from_day=None):
    """Create the week rows the campaign's dates call for; re-plan those due from ``from_day``.

    Weeks outside the dates are removed unless a report was filed for them.
    """
    wanted = {w.label: w for w in weeks_between(city_campaign.start_date, city_campaign.end_date)}
    existing = {w.period: w for w in CampaignWeek.objects.filter(city_campaign=city_campaign)}
    reported = set(
        CampaignReport.objects.filter(city_campaign=city_campaign).values_list("period", flat=True)
    )
    gone = [w for label, w in existing.items() if label not in wanted]
    kept_reports = [w.period for w in gone if w.period in reported]
    if kept_reports:
        raise ValidationError(
            {
                "start_date": _(
                    "Weeks {weeks} have reports; the campaign's dates must keep them."
                ).format(weeks=", ".join(sorted(kept_reports)))
            }
        )
    CampaignWeek.objects.filter(pk__in=[w.pk for w in gone]).delete()
    CampaignWeek.objects.bulk_create(
        [
            CampaignWeek(
                city_campaign=city_campaign,
                period=label,
                period_start=week.start,
                due_date=weeks_due(week),
                planned=city_campaign.weekly_target,
            )
            for label, week in wanted.items()
            if label not in existing
        ]
    )
    if from_day is not None:
        CampaignWeek.objects.filter(
            city_campaign=city_campaign, due_date__gte=from_day, period__in=list(existing)
        ).exclude(planned=city_campaign.weekly_target).update(planned=city_campaign.weekly_target)


def do_create_city_campaign(campaign, *, code, actor, reason="", **fields):
    """Add a city-management campaign and plan its weekly target for each of its weeks."""
    access.require_manage_weekly_work(actor)
    code = (code or "").strip()
    if not code:
        raise ValidationError({"code": _("Give the campaign a code.")})
    fields = check_city_campaign({n: fields.get(n) for n in CAMPAIGN_FIELDS}, campaign)
    with transaction.atomic():
        if CityCampaign.objects.filter(campaign=campaign, code=code).exists():
            raise ValidationError({"code": _("Code “{code}” is taken.").format(code=code)})
        city_campaign = CityCampaign.objects.create(campaign=campaign, code=code, **fields)
        _plan_weeks(city_campaign, WeekDue(campaign))
        record_changes(
            [
                Change(
                    city_campaign,
                    ChangeAction.CREATE,
                    after=plain_snapshot(city_campaign),
                    reason=reason,
                )
            ],
            actor=actor,
        )
        recompute([campaign.pk])
    return city_campaign


def do_update_city_campaign(
    city_campaign, *, actor, version=None, reason="", today=None, **changes
):
    """Change a campaign; a new weekly target plans the weeks not yet due, past ones keep theirs."""
    access.require_manage_weekly_work(actor)
    today = today or timezone.localdate()
    with transaction.atomic():
        current = CityCampaign.objects.select_for_update().get(pk=city_campaign.pk)
        check_version(current, version, _("Campaign {code}").format(code=current.code))
        fields = {name: getattr(current, name) for name in CAMPAIGN_FIELDS}
        fields.update({k: v for k, v in changes.items() if k in CAMPAIGN_FIELDS})
        check_city_campaign(fields, current.campaign)
        changed = [n for n in CAMPAIGN_FIELDS if fields[n] != getattr(current, n)]
        if not changed:
            return current
        before = plain_snapshot(current)
        for name in changed:
            setattr(current, name, fields[name])
        current.version += 1
        current.save(update_fields=[*changed, "version", "updated_at"])
        _plan_weeks(
            current,
            WeekDue(current.campaign),
            from_day=today if "weekly_target" in changed else None,
        )
        record_changes(
            [Change(current, ChangeAction.UPDATE, before, plain_snapshot(current), reason)],
            actor=actor,
        )
        recompute([current.campaign_id])
    return current


def do_set_week_plan(city_campaign, *, period, planned, actor, reason=""):
    """Plan one week of a campaign differently from its weekly target."""
    access.require_manage_weekly_work(actor)
    try:
        week = read_week(period) if isinstance(period, str) else period
    except ValueError as exc:
        raise ValidationError({"period": str(exc)}) from None
    if planned is None or Decimal(planned) < 0:
        raise ValidationError({"planned": _("Give the quantity planned for the week.")})
    with transaction.atomic():
        row = (
            CampaignWeek.objects.select_for_update()
            .filter(city_campaign=city_campaign, period=week.label)
            .first()
        )
        if row is None:
            raise ValidationError(
                {
                    "period": _("{week} is not a week of {name}.").format(
                        week=week.display_label, name=city_campaign.name
                    )
                }
            )
        if row.planned == Decimal(planned):
            return row
        before = snapshot(row)
        row.planned = Decimal(planned)
        row.save(update_fields=["planned"])
        record_changes(
            [Change(row, ChangeAction.UPDATE, before, snapshot(row), reason)], actor=actor
        )
        recompute([city_campaign.campaign_id])
    return row


def do_report_campaign(
    city_campaign, *, period, quantity, actor, note="", version=None, today=None
):
    """File the lead unit's quantity for one week of a campaign (this week's, not cumulative)."""
    access.require_report_weekly(actor, city_campaign)
    today = today or timezone.localdate()
    period = week_to_report(period, today)
    if quantity is None or Decimal(quantity) < 0:
        raise ValidationError(
            {
                "quantity": _("Give the week's quantity ({unit}), zero or more.").format(
                    unit=city_campaign.measuring_unit
                )
            }
        )
    if not CampaignWeek.objects.filter(city_campaign=city_campaign, period=period.label).exists():
        raise ValidationError(
            {
                "period": _("{week} is not a week of {name} ({start} to {end}).").format(
                    week=period.display_label,
                    name=city_campaign.name,
                    start=city_campaign.start_date,
                    end=city_campaign.end_date,
                )
            }
        )
    values = {"quantity": Decimal(quantity), "note": (note or "").strip()}
    with transaction.atomic():
        return file_report(
            CampaignReport,
            "city_campaign",
            city_campaign,
            period,
            values,
            actor=actor,
            version=version,
        )


def do_verify_campaign_report(report, *, actor, version=None):
    """Verify (核验) a campaign's weekly report: the week's quantity counts from now on."""
    with transaction.atomic():
        current, city_campaign = locked_report(
            CampaignReport, "city_campaign", report, actor, version
        )
        changes = [mark_verified(current, actor)]
        week = CampaignWeek.objects.select_for_update().get(
            city_campaign=city_campaign, period=current.period
        )
        before = snapshot(week)
        week.verified = current.quantity
        week.save(update_fields=["verified"])
        changes.append(Change(week, ChangeAction.UPDATE, before, snapshot(week)))
        record_changes(changes, actor=actor)
        recompute([city_campaign.campaign_id])
    return current


def do_return_campaign_report(report, *, actor, reason, version=None):
    """Return a campaign's weekly report to the lead unit with a reason."""
    return return_report(
        CampaignReport, "city_campaign", report, actor=actor, reason=reason, version=version
    )
