"""What an order, a proposal or an exemption is about: a subject named as the light engine
names it (a kind and an object id), or a problem from the one pool (``blocker``).

A domain says, in its ``AppConfig.ready()``, which battle's task force verifies the
answers about its kind of subject and where a subject's page is:
``register_subject(kind, battle=..., link=...)``. The subject's name comes from the
light rules' ``subject_name`` (a key node's project and node names), else their
``subject_code`` (a project's code), read once when the order is issued, so a list of
orders needs no query per row to name or link its subjects.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vanguard.supervision.kinds import KINDS, name_expression, rules_for

BLOCKER = "blocker"


@dataclass(frozen=True)
class Subject:
    """How a kind of subject is verified and linked."""

    kind: str
    battle: str = ""
    # (object_id, label) -> the subject's page, or None.
    link: Callable | None = None


SUBJECTS: dict[str, Subject] = {}


def register_subject(kind, *, battle="", link=None):
    """Declare the battle and the page of a kind of subject (from a domain's ``ready()``)."""
    kind = str(kind)
    if kind in SUBJECTS:
        raise ValueError("subject kind {!r} is registered twice".format(kind))
    SUBJECTS[kind] = Subject(kind=kind, battle=str(battle or ""), link=link)


def subject_kinds():
    """Every kind an order may be about: the light engine's kinds and problems."""
    return [*KINDS, BLOCKER]


def kind_label(kind):
    """The kind's name in the reader's language."""
    if kind == BLOCKER:
        return gettext_lazy("Problem")
    try:
        return rules_for(kind).label
    except LookupError:
        return kind


def kind_choices():
    return [(kind, kind_label(kind)) for kind in subject_kinds()]


def link_of(kind, object_id, label):
    """The page of a subject, or "" when its kind names none."""
    if kind == BLOCKER:
        return reverse("blockers:detail", args=[object_id])
    subject = SUBJECTS.get(kind)
    if subject is None or subject.link is None or not label:
        return ""
    try:
        return subject.link(object_id, label) or ""
    except Exception:  # a label that no longer names a page: shown without a link
        return ""


@dataclass(frozen=True)
class Described:
    """A subject as an order records it: its name, its unit and the battle that verifies it."""

    kind: str
    object_id: int
    label: str
    unit_id: int | None
    battle: str


def describe(campaign, kind, object_id):
    """The subject ``(kind, object_id)`` of ``campaign``; ValidationError when it is unknown."""
    from vanguard.blockers.models import Blocker
    from vanguard.supervision.models import LightState

    kind = str(kind or "")
    unknown = ValidationError(
        {
            "subject": _("No {kind} with id {id} in this campaign.").format(
                kind=kind_label(kind), id=object_id
            )
        }
    )
    if kind not in subject_kinds():
        raise ValidationError(
            {
                "subject": _("Unknown kind of subject {kind!r} (known: {known}).").format(
                    kind=kind, known=", ".join(subject_kinds())
                )
            }
        )
    if kind == BLOCKER:
        blocker = Blocker.objects.filter(campaign=campaign, pk=object_id).first()
        if blocker is None:
            raise unknown
        return Described(
            kind, blocker.pk, blocker.title[:200], blocker.unit_id, blocker.battle or ""
        )
    states = LightState.objects.filter(campaign=campaign, kind=kind, object_id=object_id)
    name = name_expression(kind)
    if name is not None:
        states = states.annotate(name=name)
    row = states.values("unit_id", *(["name"] if name is not None else [])).first()
    if row is None:
        raise unknown
    subject = SUBJECTS.get(kind)
    label = str(row.get("name") or "{} {}".format(kind_label(kind), object_id))
    return Described(
        kind, int(object_id), label[:200], row["unit_id"], subject.battle if subject else ""
    )


def subject_names(campaign_id, pairs):
    """``{(kind, object_id): name}`` of subjects as people name them, one query per kind."""
    from vanguard.supervision.models import LightState

    wanted = {}
    for kind, object_id in pairs:
        if kind in KINDS:
            wanted.setdefault(kind, set()).add(object_id)
    names = {}
    for kind, ids in wanted.items():
        name = name_expression(kind)
        if name is None:
            continue
        rows = (
            LightState.objects.filter(campaign_id=campaign_id, kind=kind, object_id__in=ids)
            .annotate(name=name)
            .values_list("object_id", "name")
        )
        names.update({(kind, object_id): label for object_id, label in rows if label})
    return names


def with_subject_names(queryset):
    """Rows about a subject (``subject_kind``, ``object_id``) with its ``subject_name``,
    as people name it, in the same query."""
    from django.db.models import Case, CharField, Value, When

    whens = [
        When(subject_kind=kind, then=expression)
        for kind in KINDS
        if (expression := name_expression(kind)) is not None
    ]
    if not whens:
        return queryset.annotate(subject_name=Value("", output_field=CharField()))
    return queryset.annotate(subject_name=Case(*whens, default=Value(""), output_field=CharField()))


def find_subject(campaign, kind, label):
    """The id of the subject of ``kind`` named ``label`` (a project's code), or None."""
    from vanguard.blockers.models import Blocker
    from vanguard.supervision.models import LightState

    if kind == BLOCKER:
        return (
            int(label)
            if str(label).isdigit()
            and Blocker.objects.filter(campaign=campaign, pk=int(label)).exists()
            else None
        )
    if kind not in KINDS:
        return None
    code = rules_for(kind).subject_code
    states = LightState.objects.filter(campaign=campaign, kind=kind)
    if code is None:
        return int(label) if str(label).isdigit() else None
    return (
        states.annotate(code=code()).filter(code=label).values_list("object_id", flat=True).first()
    )
