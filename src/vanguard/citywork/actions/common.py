"""What the weekly work's actions share: filing a weekly report, locking it to verify it."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vanguard.audit.choices import ChangeAction
from vanguard.audit.log import Change, record_changes, snapshot
from vanguard.citywork.choices import ReportState
from vanguard.citywork.weeks import WeekDue, read_week
from vanguard.core.actors import user_of
from vanguard.core.preconditions import STALE
from vanguard.org import access
from vanguard.org.choices import Battle


def recompute(campaign_ids):
    """Ask for the city work's lights' recompute once the transaction commits."""
    from vanguard.supervision.tasks import schedule_recompute

    schedule_recompute(campaign_ids, group=Battle.CITYWORK)


def plain_snapshot(obj):
    """A snapshot for the change log without the automatic timestamps, nor a location's
    bounding box (worked out from its geometry, which the log keeps)."""
    data = snapshot(obj)
    for derived in ("created_at", "updated_at", "min_lon", "min_lat", "max_lon", "max_lat"):
        data.pop(derived, None)
    return data


def field_errors(errors):
    if errors:
        raise ValidationError(errors)


def apply_changes(current, fields, changed):
    """Set the ``changed`` fields of ``current`` (a place, a project) from ``fields``, its
    location through ``place_at``; the columns to save."""
    update = [name for name in changed if name != "geometry"]
    for name in update:
        setattr(current, name, fields[name])
    if "geometry" in changed:
        current.place_at(fields["geometry"])
        update += list(current.LOCATION_FIELDS)
    return update


def save_new_version(current, before, update, *, actor, reason=""):
    """Save the ``update`` columns of a changed place or project at its next version, log the
    change from ``before`` and recompute its campaign's lights."""
    current.version += 1
    current.save(update_fields=[*update, "version", "updated_at"])
    record_changes(
        [Change(current, ChangeAction.UPDATE, before, plain_snapshot(current), reason)],
        actor=actor,
    )
    recompute([current.campaign_id])


def owner_errors(fields, errors):
    """Add to ``errors`` what is wrong with the lead unit and responsible person of ``fields``
    (a campaign's, a place's, a project's): missing, or the person not of the unit."""
    unit, person = fields.get("lead_unit"), fields.get("responsible_person")
    if unit is None:
        errors["lead_unit"] = _("Name the lead unit.")
    if person is None:
        errors["responsible_person"] = _("Name the responsible person.")
    elif unit is not None and person.unit_id != unit.pk:
        errors["responsible_person"] = _("{person} is not a person of {unit}.").format(
            person=person.name, unit=unit.name
        )


def set_active(model, obj, *, active, actor):
    """Take ``obj`` (a checklist criterion, a kind of project) out of use or back into use,
    in the change log; unchanged if it is so already. The caller checks access."""
    with transaction.atomic():
        current = model.objects.select_for_update().get(pk=obj.pk)
        if current.active == bool(active):
            return current
        before = snapshot(current)
        current.active = bool(active)
        current.save(update_fields=["active"])
        record_changes(
            [Change(current, ChangeAction.UPDATE, before, snapshot(current))], actor=actor
        )
    return current


def stale(obj, what):
    """The refusal of a change made on an outdated version of ``obj``."""
    return ValidationError(
        _("{what} was changed by someone else meanwhile; reload it and try again.").format(
            what=what
        ),
        code=STALE,
    )


def check_version(current, version, what):
    if version is not None and int(version) != current.version:
        raise stale(current, what)


def week_to_report(period, today):
    """The week a report names (a label or a Period), refused when it has not begun."""
    if isinstance(period, str):
        try:
            period = read_week(period)
        except ValueError as exc:
            raise ValidationError({"period": str(exc)}) from None
    if period.start > today:
        raise ValidationError(
            {
                "period": _("{week} has not begun; report it once it has.").format(
                    week=period.display_label
                )
            }
        )
    return period


def file_report(model, subject_field, subject, period, values, *, actor, version):
    """File (or correct) a unit's report on ``subject`` for one week; return the report.

    Runs inside the caller's transaction. A verified report is final; one waiting or
    returned is corrected only by naming the version read (two reporters of a unit never
    overwrite each other unknowingly).
    """
    now = timezone.now()
    current = (
        model.objects.select_for_update()
        .filter(**{subject_field: subject, "period": period.label})
        .first()
    )
    if current is None:
        report = model.objects.create(
            **{subject_field: subject},
            period=period.label,
            period_start=period.start,
            due_date=WeekDue(subject.campaign)(period),
            reported_by=user_of(actor),
            reported_at=now,
            **values,
        )
        record_changes([Change(report, ChangeAction.CREATE, after=snapshot(report))], actor=actor)
        return report
    if current.state == ReportState.VERIFIED:
        raise ValidationError(
            _("The report of {code} for {week} is verified and can no longer change.").format(
                code=subject.code, week=period.display_label
            )
        )
    if version is None:
        raise ValidationError(
            _(
                "A report of {code} for {week} is already filed ({state}, version {version});"
                " name that version to correct it."
            ).format(
                code=subject.code,
                week=period.display_label,
                state=current.get_state_display(),
                version=current.version,
            ),
            code=STALE,
        )
    if int(version) != current.version:
        raise _stale_report(current, subject)
    before = snapshot(current)
    for name, value in values.items():
        setattr(current, name, value)
    current.state = ReportState.SUBMITTED
    current.return_reason = ""
    current.reported_by = user_of(actor)
    current.reported_at = now
    current.version += 1
    current.save(
        update_fields=[
            *values,
            "state",
            "return_reason",
            "reported_by",
            "reported_at",
            "version",
        ]
    )
    record_changes([Change(current, ChangeAction.UPDATE, before, snapshot(current))], actor=actor)
    return current


def _stale_report(report, subject):
    return ValidationError(
        _(
            "The report of {code} for {week} was changed meanwhile (it is now {state});"
            " reload it and try again."
        ).format(code=subject.code, week=report.period, state=report.get_state_display()),
        code=STALE,
    )


def locked_report(model, subject_field, report, actor, version):
    """The report, locked, still waiting and on the version the verifier read.

    Who verified it is read after the lock is granted: on PostgreSQL a row joined in the
    locking query is the one seen before the lock.
    """
    current = model.objects.select_for_update(of=("self",)).get(pk=report.pk)
    subject = getattr(current, subject_field)
    access.require_verify_weekly(actor, subject)
    if current.state != ReportState.SUBMITTED:
        who = ""
        if current.verified_by_id is not None:
            person = getattr(current.verified_by, "person", None)
            who = person.name if person is not None else current.verified_by.get_username()
        raise ValidationError(
            _(
                "The report of {code} for {week} is no longer awaiting verification: it was"
                " {state}{by}."
            ).format(
                code=subject.code,
                week=current.period,
                state=current.get_state_display(),
                by=_(" by {who}").format(who=who) if who else "",
            ),
            code=STALE,
        )
    if version is not None and int(version) != current.version:
        raise _stale_report(current, subject)
    return current, subject


def mark_verified(report, actor):
    """Set a locked report verified; return its change."""
    before = snapshot(report)
    report.state = ReportState.VERIFIED
    report.verified_by = user_of(actor)
    report.verified_at = timezone.now()
    report.version += 1
    report.save(update_fields=["state", "verified_by", "verified_at", "version"])
    return Change(report, ChangeAction.UPDATE, before, snapshot(report))


def return_report(model, subject_field, report, *, actor, reason, version):
    """Return a unit's weekly report with a reason; the unit corrects and files it again."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the report is returned.")})
    with transaction.atomic():
        current, _subject = locked_report(model, subject_field, report, actor, version)
        before = snapshot(current)
        current.state = ReportState.RETURNED
        current.return_reason = reason
        current.verified_by = user_of(actor)
        current.verified_at = timezone.now()
        current.version += 1
        current.save(
            update_fields=["state", "return_reason", "verified_by", "verified_at", "version"]
        )
        record_changes(
            [Change(current, ChangeAction.UPDATE, before, snapshot(current), reason)],
            actor=actor,
        )
    return current
