"""The case-file parts the orders add: every order about the matter with every step of
it (the unit's answers, the returns, the colour rises) and the files sent with the
answers; and the exemptions the ladder considered for the matter, with their evidence.

Registered in the supervision app's ``ready()`` with ``talks.casefile.register_part``.
"""

import os

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vanguard.supervision.models import Exemption, OrderStep, SupervisionOrder
from vanguard.supervision.models.orders import StepKind
from vanguard.supervision.talks.casefile import CasePart, register_part


def _when(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _reader(field_file):
    """A function giving the stored file's bytes, called only when the ZIP is made."""

    def read():
        with field_file.open("rb") as stream:
            return stream.read()

    return read


def _file_name(prefix, field_file, taken):
    """``prefix`` and the stored name, made unique within the part."""
    name = "{}-{}".format(prefix, os.path.basename(field_file.name))
    stem, dot, suffix = name.rpartition(".")
    count = 1
    while name in taken:
        count += 1
        name = "{}-{}.{}".format(stem, count, suffix) if dot else "{}-{}".format(prefix, count)
    taken.add(name)
    return name


def orders_part(referral):
    """Every order about the referred matter, step by step, oldest first."""
    orders = list(
        SupervisionOrder.objects.filter(
            campaign_id=referral.campaign_id,
            subject_kind=referral.kind,
            object_id=referral.object_id,
        ).order_by("issued_at", "pk")
    )
    if not orders:
        return None
    steps = (
        OrderStep.objects.filter(order__in=orders)
        .select_related("order", "actor")
        .prefetch_related("files")
        .order_by("order__issued_at", "order_id", "at", "pk")
    )
    rows, documents, taken = [], {}, set()
    for step in steps:
        order = step.order
        files, hashes = [], []
        for evidence in step.files.all():
            name = _file_name(order.number, evidence.file, taken)
            documents[name] = _reader(evidence.file)
            files.append(name)
            hashes.append(evidence.sha256)
        colour = ""
        if step.to_colour:
            colour = "{} → {}".format(
                step.get_from_colour_display() if step.from_colour else "",
                step.get_to_colour_display(),
            ).strip(" →")
        note = step.note
        if step.kind == StepKind.ISSUED:
            # The order's content once, on the step that issued it.
            note = _("Problem: {problem} Requirement: {requirement} Answer due: {due}.").format(
                problem=order.problem, requirement=order.requirement, due=order.due_date
            )
        rows.append(
            {
                "number": order.number,
                "problem": order.problem,
                "requirement": order.requirement,
                "due_date": order.due_date,
                "colour_now": str(order.get_colour_display()),
                "state_now": str(order.get_state_display()),
                "step": str(step.get_kind_display()),
                "at": _when(step.at),
                "by": step.actor.get_username() if step.actor else "",
                "colour": colour,
                "note": note,
                "files": "、".join(files),
                "sha256": hashes,
            }
        )
    return CasePart(
        title=_("Supervision orders and answers"),
        columns=[
            ("number", _("order number")),
            ("step", _("step")),
            ("at", _("at")),
            ("by", _("by")),
            ("colour", _("colour")),
            ("note", _("note")),
            ("files", _("files")),
        ],
        rows=rows,
        documents=documents,
        logged=[(SupervisionOrder, [order.pk for order in orders])],
    )


def exemptions_part(referral):
    """The exemptions granted for the referred matter: why, for when, on what evidence."""
    exemptions = list(
        Exemption.objects.filter(
            campaign_id=referral.campaign_id,
            subject_kind=referral.kind,
            object_id=referral.object_id,
        )
        .select_related("approved_by")
        .order_by("valid_from", "pk")
    )
    if not exemptions:
        return None
    rows, documents, taken = [], {}, set()
    for exemption in exemptions:
        name = ""
        if exemption.evidence:
            name = _file_name("exemption-{}".format(exemption.pk), exemption.evidence, taken)
            documents[name] = _reader(exemption.evidence)
        rows.append(
            {
                "ground": str(exemption.get_ground_display()),
                "explanation": exemption.explanation,
                "valid_from": exemption.valid_from,
                "valid_until": exemption.valid_until,
                "approved_by": exemption.approved_by.get_username()
                if exemption.approved_by
                else "",
                "approved_at": _when(exemption.approved_at),
                "evidence": name,
                "sha256": exemption.evidence_sha256,
            }
        )
    return CasePart(
        title=_("Exemptions considered"),
        columns=[
            ("ground", _("ground")),
            ("explanation", _("explanation")),
            ("valid_from", _("valid from")),
            ("valid_until", _("valid until")),
            ("approved_by", _("approved by")),
            ("approved_at", _("approved")),
            ("evidence", _("evidence")),
        ],
        rows=rows,
        documents=documents,
        logged=[(Exemption, [exemption.pk for exemption in exemptions])],
    )


def register_parts():
    # Between the domains' reports (50) and the talk (90): what supervision did about it.
    register_part("orders", orders_part, order=60)
    register_part("exemptions", exemptions_part, order=70)
