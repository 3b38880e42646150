"""Every write to sectors, key enterprises, their monthly figures and visits.

Who may write (``org.access``):
- sectors, and the key-enterprise register itself (name, credit code, sector, serving
  unit), are kept by the indicators task force and the office
  (``require_manage_enterprises``);
- an enterprise's monthly figures, its expectation for the rest of the year and its
  visits are also entered by the reporters of the unit that serves it
  (``require_serve_enterprise``).

Edits of an existing row name the version they were made on (``expected_version``,
or ``revises`` for a monthly figure); if someone else changed the row meanwhile the
edit is refused (``StaleVersion``) instead of silently overwriting theirs. Each action
checks access, validates, writes and records the change log in one transaction.

Problems found on a visit become blockers of the one pool, raised through
``blockers.actions.do_raise_blockers`` about the enterprise on the visit, owned by the
serving unit unless another unit is named; they are closed through
``blockers.actions.do_resolve_blocker``.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vanguard.audit.choices import ChangeAction
from vanguard.audit.log import Change, record_changes, snapshot
from vanguard.blockers.actions import as_raised, do_raise_blockers
from vanguard.core.actors import user_of
from vanguard.core.figures import FigureSource, StaleVersion, revise_figure
from vanguard.enterprises import credit_code as credit_codes
from vanguard.enterprises.choices import FigureKind
from vanguard.enterprises.models import EnterpriseMonth, KeyEnterprise, Sector, Visit
from vanguard.indicators.actions import last_complete_month, month_of
from vanguard.indicators.models import Indicator
from vanguard.org import access
from vanguard.org.models import Unit, name_of

# A thousand trillion yuan: far above any enterprise, far below the column's limit.
AMOUNT_MAX = 10**15
SECTOR_FIELDS = {"name", "responsible_unit", "measures", "guidance_growth_pct", "indicator"}
ENTERPRISE_FIELDS = {
    "name",
    "credit_code",
    "sector",
    "serving_unit",
    "figure_kind",
    "contact_name",
    "contact_phone",
}
# Sectors whose enterprises report revenue rather than output value by default.
OUTPUT_SECTORS = ("工业", "制造", "建筑")


# --- checks -------------------------------------------------------------------------------


def clean_credit_code(value):
    """The code normalised (no spaces, capitals), or a ValidationError on ``credit_code``."""
    code = credit_codes.normalise(value)
    problem = credit_codes.problem(code)
    if problem:
        raise ValidationError(
            {
                "credit_code": _("Unified social credit code {code}: {problem}").format(
                    code=code or "—", problem=problem
                )
            },
            code="invalid_credit_code",
        )
    return code


def _check_amount(value, field, errors, *, required=False):
    if value is None:
        if required:
            errors.setdefault(field, []).append(_("Enter the amount."))
        return
    if isinstance(value, bool) or not isinstance(value, int):
        errors.setdefault(field, []).append(_("The amount must be whole yuan."))
    elif value < 0:
        errors.setdefault(field, []).append(_("The amount cannot be negative."))
    elif value > AMOUNT_MAX:
        errors.setdefault(field, []).append(_("The amount is too large."))


def _check_version(current, expected, what):
    if expected is not None and int(expected) != current.version:
        raise StaleVersion(
            _(
                "{what} was changed by someone else while you edited it; reload it and apply"
                " your change again."
            ).format(what=what)
        )


def _today(today):
    return today or timezone.localdate()


# --- sectors ----------------------------------------------------------------------------


def indicator_for_sector(campaign, name):
    """The campaign's indicator whose free-text sector is ``name``, when exactly one is."""
    found = list(Indicator.objects.filter(campaign=campaign, sector=name.strip())[:2])
    return found[0] if len(found) == 1 else None


def _check_sector(sector):
    errors = {}
    if not sector.name.strip():
        errors["name"] = [_("Name the sector.")]
    if sector.indicator_id is not None and sector.indicator.campaign_id != sector.campaign_id:
        errors["indicator"] = [_("The indicator belongs to another campaign.")]
    growth = sector.guidance_growth_pct
    if growth is not None and not (Decimal(-100) <= growth <= Decimal(1000)):
        errors["guidance_growth_pct"] = [
            _("A growth rate lies between -100% and 1000%, not {value}%.").format(value=growth)
        ]
    duplicate = Sector.objects.filter(campaign_id=sector.campaign_id, name=sector.name.strip())
    if duplicate.exclude(pk=sector.pk).exists():
        errors["name"] = [_("The campaign already has a sector {name}.").format(name=sector.name)]
    if errors:
        raise ValidationError(errors)


def do_create_sector(
    campaign,
    *,
    name,
    responsible_unit,
    actor,
    measures="",
    guidance_growth_pct=None,
    indicator=None,
    sort_order=None,
):
    """Add a sector with its plan's measures; it feeds the indicator of the same sector name."""
    access.require_manage_enterprises(actor)
    sector = Sector(
        campaign=campaign,
        name=(name or "").strip(),
        responsible_unit=responsible_unit,
        measures=(measures or "").strip(),
        guidance_growth_pct=guidance_growth_pct,
        indicator=indicator or indicator_for_sector(campaign, name or ""),
    )
    with transaction.atomic():
        _check_sector(sector)
        if sort_order is None:
            sort_order = Sector.objects.filter(campaign=campaign).count() + 1
        sector.sort_order = sort_order
        sector.save(force_insert=True)
        record_changes([Change(sector, ChangeAction.CREATE, after=snapshot(sector))], actor=actor)
    return sector


def do_update_sector(sector, *, actor, expected_version=None, reason="", **changes):
    """Change a sector's name, unit, measures, guidance target or indicator (version-checked)."""
    access.require_manage_enterprises(actor)
    unknown = set(changes) - SECTOR_FIELDS
    if unknown:
        raise TypeError("not editable here: {}".format(", ".join(sorted(unknown))))
    with transaction.atomic():
        current = Sector.objects.select_for_update().get(pk=sector.pk)
        _check_version(current, expected_version, _("Sector {name}").format(name=current.name))
        before = snapshot(current)
        for name, value in changes.items():
            setattr(current, name, value.strip() if isinstance(value, str) else value)
        _check_sector(current)
        if snapshot(current) == before:
            return current
        current.version += 1
        current.save(update_fields=sorted({*changes, "version"}))
        record_changes(
            [Change(current, ChangeAction.UPDATE, before, snapshot(current), reason)], actor=actor
        )
    return current


# --- key enterprises ----------------------------------------------------------------------


def default_figure_kind(sector):
    """Industry reports its output value; other sectors their revenue."""
    return (
        FigureKind.OUTPUT if any(w in sector.name for w in OUTPUT_SECTORS) else FigureKind.REVENUE
    )


def _check_enterprise(enterprise):
    errors = {}
    if not enterprise.name.strip():
        errors["name"] = [_("Name the enterprise.")]
    if enterprise.sector.campaign_id != enterprise.campaign_id:
        errors["sector"] = [_("The sector belongs to another campaign.")]
    if enterprise.figure_kind not in FigureKind.values:
        errors["figure_kind"] = [_("Unknown kind of monthly figure.")]
    taken = (
        KeyEnterprise.objects.filter(
            campaign_id=enterprise.campaign_id, credit_code=enterprise.credit_code
        )
        .exclude(pk=enterprise.pk)
        .values_list("name", flat=True)
        .first()
    )
    if taken is not None:
        errors["credit_code"] = [
            _("Unified social credit code {code} is already registered for {name}.").format(
                code=enterprise.credit_code, name=taken
            )
        ]
    if errors:
        raise ValidationError(errors)


def do_create_enterprise(
    campaign,
    *,
    name,
    credit_code,
    sector,
    serving_unit,
    actor,
    figure_kind=None,
    contact_name="",
    contact_phone="",
):
    """Register a key enterprise by its unified social credit code (checked, normalised)."""
    access.require_manage_enterprises(actor)
    enterprise = KeyEnterprise(
        campaign=campaign,
        name=(name or "").strip(),
        credit_code=clean_credit_code(credit_code),
        sector=sector,
        serving_unit=serving_unit,
        figure_kind=figure_kind or default_figure_kind(sector),
        contact_name=(contact_name or "").strip(),
        contact_phone=(contact_phone or "").strip(),
    )
    with transaction.atomic():
        _check_enterprise(enterprise)
        try:
            with transaction.atomic():
                enterprise.save(force_insert=True)
        except IntegrityError:
            raise ValidationError(
                {
                    "credit_code": _(
                        "Unified social credit code {code} was registered by someone else a"
                        " moment ago."
                    ).format(code=enterprise.credit_code)
                }
            ) from None
        record_changes(
            [Change(enterprise, ChangeAction.CREATE, after=snapshot(enterprise))], actor=actor
        )
    return enterprise


def do_update_enterprise(enterprise, *, actor, expected_version=None, reason="", **changes):
    """Change a key enterprise's register entry (name, code, sector, unit, contact)."""
    access.require_manage_enterprises(actor)
    unknown = set(changes) - ENTERPRISE_FIELDS
    if unknown:
        raise TypeError("not editable here: {}".format(", ".join(sorted(unknown))))
    if "credit_code" in changes:
        changes["credit_code"] = clean_credit_code(changes["credit_code"])
    with transaction.atomic():
        current = (
            KeyEnterprise.objects.select_for_update().select_related("sector").get(pk=enterprise.pk)
        )
        _check_version(current, expected_version, current.name)
        before = snapshot(current)
        for name, value in changes.items():
            setattr(current, name, value.strip() if isinstance(value, str) else value)
        _check_enterprise(current)
        if snapshot(current) == before:
            return current
        current.version += 1
        current.save(update_fields=sorted({*changes, "version"}))
        record_changes(
            [Change(current, ChangeAction.UPDATE, before, snapshot(current), reason)], actor=actor
        )
    return current


def do_set_expectation(
    enterprise, *, amount_yuan, actor, given_on=None, expected_version=None, today=None
):
    """Record what the enterprise expects for the rest of the year, and when it said so."""
    access.require_serve_enterprise(actor, enterprise)
    today = _today(today)
    given_on = given_on or today
    errors = {}
    _check_amount(amount_yuan, "expectation_yuan", errors, required=True)
    if given_on > today:
        errors["expectation_on"] = [_("{date} is in the future.").format(date=given_on.isoformat())]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = KeyEnterprise.objects.select_for_update().get(pk=enterprise.pk)
        _check_version(current, expected_version, current.name)
        before = snapshot(current)
        current.expectation_yuan = amount_yuan
        current.expectation_on = given_on
        if snapshot(current) == before:
            return current
        current.version += 1
        current.save(update_fields=["expectation_yuan", "expectation_on", "version"])
        record_changes(
            [Change(current, ChangeAction.UPDATE, before, snapshot(current))], actor=actor
        )
    return current


# --- monthly figures ------------------------------------------------------------------------


@dataclass
class FigureSubmitted:
    """What a monthly figure's submission did: the figure now in force, whether it changed."""

    figure: EnterpriseMonth
    created: bool
    changed: bool


def _figure_where(enterprise, month):
    return "{}·{}年{}月".format(enterprise.name, month.year, month.month)


def check_month(enterprise, month, *, today):
    """Problems of a figure's month as {"month": [...]}: it must be over and in the campaign year."""
    year = enterprise.campaign.year
    if month > last_complete_month(today):
        return {
            "month": [
                _(
                    "{year}年{month}月 is not over yet: a month's figure is entered after it ends."
                ).format(year=month.year, month=month.month)
            ]
        }
    if month.year != year:
        return {
            "month": [
                _(
                    "{year}年{month}月 is outside the campaign year {campaign_year}; enter last"
                    " year's figure as the same month's comparison instead."
                ).format(year=month.year, month=month.month, campaign_year=year)
            ]
        }
    return {}


def do_submit_enterprise_month(
    enterprise,
    month,
    *,
    value_yuan,
    actor,
    last_year_yuan=None,
    revises=None,
    reason="",
    source=FigureSource.FORM,
    today=None,
):
    """Record a key enterprise's figure for a month, or revise it naming the version revised.

    A first figure takes no ``revises``; a revision must name the version in force, else
    it is refused as stale (``core.figures``). A revision adds a row; the one it replaced
    stays, no longer current.
    """
    access.require_serve_enterprise(actor, enterprise)
    today = _today(today)
    month = month_of(month)
    errors = check_month(enterprise, month, today=today)
    _check_amount(value_yuan, "value_yuan", errors, required=True)
    _check_amount(last_year_yuan, "last_year_yuan", errors)
    if errors:
        raise ValidationError(errors)
    where = _figure_where(enterprise, month)
    with transaction.atomic():
        # Figures of one enterprise queue on its row.
        done = revise_figure(
            EnterpriseMonth,
            {"enterprise": enterprise, "month": month},
            {"value_yuan": value_yuan, "last_year_yuan": last_year_yuan},
            lock=KeyEnterprise.objects.filter(pk=enterprise.pk),
            revises=revises,
            where=where,
            actor=actor,
            source=source,
            reason=reason,
            name_user=name_of,
        )
        if not done.created:
            return FigureSubmitted(done.figure, created=False, changed=False)
        changes = []
        if done.revised is not None:
            changes.append(
                Change(
                    done.revised, ChangeAction.UPDATE, {"is_current": True}, {"is_current": False}
                )
            )
        changes.append(
            Change(done.figure, ChangeAction.CREATE, after=snapshot(done.figure), reason=reason)
        )
        record_changes(changes, actor=actor)
    return FigureSubmitted(done.figure, created=done.revised is None, changed=True)


# --- visits and their blockers ----------------------------------------------------------------


def do_record_visit(
    enterprise, *, visited_on, visitors, actor, findings="", blockers=(), today=None
):
    """Log a visit to a key enterprise; each problem raised becomes an open blocker.

    ``blockers`` are titles, (title, description, unit) tuples, dicts or
    ``RaisedBlocker``; a blocker without a unit is owned by the serving unit.
    """
    access.require_serve_enterprise(actor, enterprise)
    today = _today(today)
    errors = {}
    if visited_on is None:
        errors["visited_on"] = [_("Enter the date of the visit.")]
    elif visited_on > today:
        errors["visited_on"] = [
            _("The visit on {date} is in the future; record it after it took place.").format(
                date=visited_on.isoformat()
            )
        ]
    if not (visitors or "").strip():
        errors["visitors"] = [_("Say who visited.")]
    raised = [as_raised(item) for item in blockers]
    raised = [b for b in raised if (b.title or "").strip()]
    unit_ids = {getattr(b.unit, "pk", b.unit) for b in raised if b.unit is not None}
    known = set(Unit.objects.filter(pk__in=unit_ids).values_list("pk", flat=True))
    if unit_ids - known:
        errors["blockers"] = [_("A problem names an unknown owner unit.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        visit = Visit(
            enterprise=enterprise,
            visited_on=visited_on,
            visitors=visitors.strip()[:300],
            findings=(findings or "").strip(),
            recorded_by=user_of(actor),
            recorded_at=timezone.now(),
        )
        visit.save(force_insert=True)
        record_changes([Change(visit, ChangeAction.CREATE, after=snapshot(visit))], actor=actor)
        do_raise_blockers(
            enterprise,
            raised,
            unit=enterprise.serving_unit_id,
            actor=actor,
            occasion=visit,
            raised_on=visited_on,
        )
    return visit
