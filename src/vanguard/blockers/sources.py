"""Where blockers come from: each domain defines its ``Source`` and registers it in
``AppConfig.ready()`` (``register_source(problems.SOURCE)``).

A problem is about one thing of a source (a project, a key enterprise): the pool stores
the source's key and the thing's id (``Blocker.source_kind``, ``Blocker.source_id``),
and the id of what raised it, when there is one (a dekad report, a visit:
``Blocker.occasion_id``). No foreign key runs from the pool into a domain, so a new
source (city work, supervision orders) registers here and raises through
``blockers.actions.do_raise_blockers`` without touching the pool's tables. The engine
imports no domain: it reaches a source's models through the app registry, by label.

A source names:
- ``model``: what a problem is about ("projects.project"), and ``occasion``: what raises
  problems about it ("projects.dekadreport"), if anything;
- ``battle``: whose task force dispatches and closes its problems (org.access);
- ``unit_field``: the model's field naming the unit answerable for the thing, whose
  reporters see its problems even once they are dispatched elsewhere, and
  ``campaign_field``, the one naming its campaign (both may be paths: "project__lead_unit");
- ``label``, ``describe(thing, occasion)`` and ``reference(thing, occasion)``: how pages
  name a problem's source ([(text, url)]) and the API's fields for it ({"project": code});
- ``details(blocker)``: more facts for the problem's own page, as HTML rows of its list
  of facts (a project's problem: the reports that name it);
- ``merges_repeats``: whether a title the thing already has open is that problem rather
  than a new one (a project's reports repeat their problems each dekad).

Because nothing in the database holds a thing whose problems exist, the registration
guards it as the foreign keys did: a thing with problems cannot be deleted, and deleting
an occasion leaves its problems without one.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from django.apps import apps
from django.db.models import ProtectedError, Q
from django.db.models.signals import post_delete, pre_delete


def _nothing(thing, occasion):
    return []


def _no_fields(thing, occasion):
    return {}


def _no_details(blocker):
    return ""


@dataclass(frozen=True)
class Source:
    """One kind of thing problems are raised about (a project, a key enterprise)."""

    key: str
    model: str
    battle: str
    label: object
    unit_field: str
    occasion: str = ""
    campaign_field: str = "campaign"
    merges_repeats: bool = False
    # (thing, occasion) -> [(text, url), ...] naming where a problem was raised.
    describe: Callable = field(default=_nothing)
    # (thing, occasion) -> the API's fields naming the source ({"project": "XHA-0001"}).
    reference: Callable = field(default=_no_fields)
    # blocker -> more rows (HTML) for the facts on the problem's page.
    details: Callable = field(default=_no_details)
    # Relations loaded with the things, for ``describe``.
    select_related: tuple = ()

    @property
    def things(self):
        """The model of the things problems are about."""
        return apps.get_model(self.model)

    @property
    def occasions(self):
        """The model of what raises problems, or None."""
        return apps.get_model(self.occasion) if self.occasion else None

    def unit_id_of(self, thing):
        """The id of the unit answerable for ``thing`` (following ``unit_field``)."""
        return _id_along(thing, self.unit_field)

    def campaign_id_of(self, thing):
        """The id of ``thing``'s campaign (following ``campaign_field``)."""
        return _id_along(thing, self.campaign_field)

    def things_of_units(self, unit_ids):
        """A subquery of the ids of the things the units answer for."""
        return self.things._default_manager.filter(**{self.unit_field + "__in": unit_ids}).values(
            "pk"
        )


def _id_along(thing, path):
    *steps, last = path.split("__")
    for step in steps:
        thing = getattr(thing, step)
    return getattr(thing, last + "_id")


SOURCES: dict[str, Source] = {}


def register_source(source):
    """Declare a source of blockers (called from the domain's ``AppConfig.ready()``, with the
    ``Source`` its app defines, as imports register their ``ImportFlow``)."""
    source = replace(source, model=source.model.lower(), occasion=source.occasion.lower())
    SOURCES[source.key] = source
    _guard(source)
    return source


def source_of(blocker):
    """The registered source ``blocker`` was raised from, or None."""
    return SOURCES.get(blocker.source_kind)


def source_for(thing):
    """The registered source whose things are of ``thing``'s model; LookupError if none."""
    label = thing._meta.label_lower
    for source in SOURCES.values():
        if source.model == label:
            return source
    raise LookupError("no blocker source is registered for {}".format(label))


def unit_scope(unit_ids):
    """The problems that belong to the units: those they own, and those about the things
    they answer for (``org.access.restrict`` asks this for a unit reporter)."""
    scope = Q(unit_id__in=unit_ids)
    for source in SOURCES.values():
        scope |= Q(source_kind=source.key, source_id__in=source.things_of_units(unit_ids))
    return scope


def attach_sources(blockers):
    """Load the things and occasions of ``blockers`` (two queries per source at most) and
    give each blocker its ``source_object`` and ``occasion``; return them as a list."""
    blockers = list(blockers)
    for source in SOURCES.values():
        mine = [b for b in blockers if b.source_kind == source.key]
        if not mine:
            continue
        things = source.things._default_manager.select_related(*source.select_related).in_bulk(
            {b.source_id for b in mine}
        )
        occasion_ids = {b.occasion_id for b in mine if b.occasion_id is not None}
        occasions = (
            source.occasions._default_manager.in_bulk(occasion_ids)
            if occasion_ids and source.occasions
            else {}
        )
        for blocker in mine:
            blocker.source_object = things.get(blocker.source_id)
            blocker.occasion = occasions.get(blocker.occasion_id)
    return blockers


def _guard(source):
    """Keep what the foreign keys kept: refuse deleting a thing that has problems; forget
    a deleted occasion."""
    from vanguard.blockers.models import Blocker

    def protect(sender, instance, using, **kwargs):
        raised = Blocker.objects.using(using).filter(source_kind=source.key, source_id=instance.pk)
        if raised.exists():
            raise ProtectedError(
                "{} has problems in the pool of blockers".format(instance), set(raised)
            )

    def forget(sender, instance, using, **kwargs):
        Blocker.objects.using(using).filter(source_kind=source.key, occasion_id=instance.pk).update(
            occasion_id=None
        )

    pre_delete.connect(
        protect, sender=source.model, weak=False, dispatch_uid="blockers-protect-" + source.key
    )
    if source.occasion:
        post_delete.connect(
            forget, sender=source.occasion, weak=False, dispatch_uid="blockers-forget-" + source.key
        )
