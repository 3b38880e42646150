"""Every write to the monthly bulletin: one transaction each, access checked, change logged.

- ``do_load_scoring_rule``: a checked rule file becomes the campaign's next version.
- ``do_draft_bulletin``: creates or refreshes a month's draft (the periodic job on the
  month's due date, the command, the office's button); a month already issued gets a
  correction draft only when asked for one.
- ``do_edit_bulletin``: the office's narrative, title and 抄送 on a draft, at the version
  the editor read; an issued bulletin is refused.
- ``do_issue_bulletin``: a number (西海岸攻坚办〔2026〕11号) used nowhere else; the bulletin
  is locked, and the one it corrects is superseded.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vanguard.audit.choices import ChangeAction
from vanguard.audit.log import Change, record_changes, snapshot
from vanguard.core.actors import user_of
from vanguard.core.preconditions import STALE
from vanguard.org import access
from vanguard.org.models import Campaign, Unit
from vanguard.supervision.bulletins import facts, narrative, rules, scoring
from vanguard.supervision.models import Bulletin, BulletinLine, BulletinState, ScoringRule

NUMBER_RE = re.compile(r"^\S.{0,40}〔(\d{4})〕([1-9]\d{0,4})号$")
TEXT_MAX = 20000


def month_window(month):
    """(first day, last day) of ``month`` (any day in it)."""
    start = month.replace(day=1)
    end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    return start, end


def do_load_scoring_rule(campaign, text, *, actor, source_name=""):
    """Check a rule file and store it as the campaign's next version; the old ones are kept.

    ``rules.InvalidRule`` (every problem with its line and field) changes nothing.
    """
    access.require_manage_bulletins(actor)
    spec = rules.parse_rule(text, source=source_name or "rule")
    with transaction.atomic():
        Campaign.objects.select_for_update().get(pk=campaign.pk)  # one version at a time
        latest = ScoringRule.objects.filter(campaign=campaign).order_by("-version").first()
        if latest is not None and latest.spec == spec and latest.text == text:
            return latest
        rule = ScoringRule.objects.create(
            campaign=campaign,
            version=(latest.version + 1) if latest else 1,
            source_name=source_name[:200],
            text=text,
            spec=spec,
            loaded_at=timezone.now(),
            loaded_by=user_of(actor),
        )
        record_changes([Change(rule, ChangeAction.CREATE, None, snapshot(rule))], actor=actor)
    return rule


def latest_rule(campaign):
    """The campaign's newest scoring rule, or None."""
    return ScoringRule.objects.filter(campaign=campaign).order_by("-version").first()


def compute_lines(campaign, rule_spec, month, cutoff):
    """The lines (``scoring.Line``) of ``month`` under ``rule_spec`` with the data at ``cutoff``."""
    start, end = month_window(month)
    gathered = facts.collect(campaign, start, end, cutoff)
    units = Unit.objects.filter(pk__in=list(gathered)).values_list("pk", "kind")
    return scoring.rank_units(rule_spec, list(units), gathered)


def recompute(bulletin):
    """The bulletin's lines computed again with its own rule version and cut-off."""
    return compute_lines(bulletin.campaign, bulletin.rule.spec, bulletin.month, bulletin.cutoff)


def _store_lines(bulletin, lines):
    BulletinLine.objects.filter(bulletin=bulletin).delete()
    BulletinLine.objects.bulk_create(
        [
            BulletinLine(
                bulletin=bulletin,
                unit_id=line.unit_id,
                group=line.group,
                score=line.score,
                components=line.components,
                facts=line.facts,
                ranked=line.ranked,
                rank=line.rank,
                listed=line.listed,
            )
            for line in lines
        ],
        batch_size=1000,
    )


def default_issuer(campaign):
    """The issuing office's short name for the red heading: the office's name, else the campaign's."""
    office = getattr(getattr(campaign, "headquarters", None), "office", None)
    return (office.name if office else campaign.name)[:100]


def do_draft_bulletin(campaign, month, *, actor, cutoff=None, correction=False):
    """Create or refresh the draft of ``month``, scored with the newest rule at ``cutoff``.

    A refresh keeps the office's narrative and re-reads the figures. A month already
    issued gets a draft only as a correction (``correction=True``), which supersedes the
    issued bulletin when it is issued in turn.
    """
    access.require_manage_bulletins(actor)
    month = month.replace(day=1)
    cutoff = cutoff or timezone.now()
    rule = latest_rule(campaign)
    if rule is None:
        raise ValidationError(
            _("Campaign {code} has no scoring rule yet: load one first.").format(code=campaign.code)
        )
    with transaction.atomic():
        Campaign.objects.select_for_update().get(pk=campaign.pk)
        live = {
            b.state: b
            for b in Bulletin.objects.select_for_update().filter(
                campaign=campaign,
                month=month,
                state__in=[BulletinState.DRAFT, BulletinState.ISSUED],
            )
        }
        draft, issued = live.get(BulletinState.DRAFT), live.get(BulletinState.ISSUED)
        if draft is None and issued is not None and not correction:
            raise ValidationError(
                _(
                    "The bulletin of {month} is issued ({number}) and locked; draft a correction"
                    " to change it."
                ).format(month=issued.month_label, number=issued.number)
            )
        lines = compute_lines(campaign, rule.spec, month, cutoff)
        now = timezone.now()
        if draft is None:
            draft = Bulletin(
                campaign=campaign,
                month=month,
                title=_("Bulletin on the campaign's progress in {month}").format(
                    month="{}年{}月".format(month.year, month.month)
                ),
                issuer=default_issuer(campaign),
                rule=rule,
                cutoff=cutoff,
                supersedes=issued,
                drafted_at=now,
            )
            before, action = None, ChangeAction.CREATE
        else:
            before, action = snapshot(draft), ChangeAction.UPDATE
            draft.rule, draft.cutoff, draft.drafted_at = rule, cutoff, now
            draft.version += 1
        draft.save()
        _store_lines(draft, lines)
        if not draft.narrative:
            draft.narrative = narrative.default_narrative(draft)
            draft.save(update_fields=["narrative"])
        record_changes(
            [
                Change(
                    draft,
                    action,
                    before,
                    snapshot(draft),
                    _("{n} units scored").format(n=len(lines)),
                )
            ],
            actor=actor,
        )
    return draft


def _locked_draft(bulletin, expected_version):
    current = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    if current.state != BulletinState.DRAFT:
        raise ValidationError(
            _("Bulletin {number} is issued and locked: draft a correction instead.").format(
                number=current.number
            )
        )
    if expected_version is not None and current.version != int(expected_version):
        raise ValidationError(
            _(
                "Someone else changed this bulletin while you edited it (now version {version});"
                " reload it and apply your change again."
            ).format(version=current.version),
            code=STALE,
        )
    return current


def do_edit_bulletin(
    bulletin, *, actor, expected_version, title=None, narrative=None, copy_to=None
):
    """Change a draft's title, narrative sections or 抄送, at the version the editor read."""
    access.require_manage_bulletins(actor)
    with transaction.atomic():
        current = _locked_draft(bulletin, expected_version)
        before = snapshot(current)
        if title is not None:
            current.title = title.strip()[:200] or current.title
        if copy_to is not None:
            current.copy_to = copy_to.strip()[:300]
        if narrative is not None:
            too_long = [k for k, v in narrative.items() if len(v or "") > TEXT_MAX]
            if too_long:
                raise ValidationError(
                    _("A section is at most {n} characters long.").format(n=TEXT_MAX)
                )
            current.narrative = {k: (v or "").strip() for k, v in narrative.items()}
        current.version += 1
        current.save(update_fields=["title", "copy_to", "narrative", "version"])
        record_changes(
            [Change(current, ChangeAction.UPDATE, before, snapshot(current))], actor=actor
        )
    return current


def check_number(number, year):
    """The number as written, or a ValidationError saying what a number looks like."""
    number = (number or "").strip()
    match = NUMBER_RE.match(number)
    if not match:
        raise ValidationError(
            {
                "number": _(
                    "A document number reads like 西海岸攻坚办〔{year}〕11号: the issuer, the"
                    " year in 〔〕 and the number without leading zeros."
                ).format(year=year)
            }
        )
    return number


def do_issue_bulletin(bulletin, *, actor, expected_version, number, issued_on=None):
    """Issue a draft under ``number``; it is locked, and the bulletin it corrects superseded."""
    access.require_manage_bulletins(actor)
    issued_on = issued_on or timezone.localdate()
    number = check_number(number, issued_on.year)
    try:
        with transaction.atomic():
            current = _locked_draft(bulletin, expected_version)
            if Bulletin.objects.filter(number=number).exists():
                raise ValidationError({"number": _used(number)})
            changes = []
            old = current.supersedes
            if old is not None:
                old = Bulletin.objects.select_for_update().get(pk=old.pk)
                before = snapshot(old)
                old.state = BulletinState.SUPERSEDED
                old.save(update_fields=["state"])
                changes.append(Change(old, ChangeAction.UPDATE, before, snapshot(old)))
            before = snapshot(current)
            current.state = BulletinState.ISSUED
            current.number = number
            current.issued_on = issued_on
            current.issued_at = timezone.now()
            current.issued_by = user_of(actor)
            current.version += 1
            current.save()
            changes.append(Change(current, ChangeAction.UPDATE, before, snapshot(current)))
            record_changes(changes, actor=actor)
    except IntegrityError:
        # Another office clerk issued the same number at the same moment.
        raise ValidationError({"number": _used(number)}) from None
    return current


def _used(number):
    return _("The document number {number} is already used by another bulletin.").format(
        number=number
    )
