"""The project sheet for download: a list of projects, the node matrix, the empty template.

The list has the same shape the import reads (``project_import``), so an exported list
can be edited and imported again. Rows are streamed as values, a thousand at a time.
"""

from collections import defaultdict
from itertools import islice

from vanguard.core.money import wan_number
from vanguard.projects.models import KeyNode, Milestone, Project
from vanguard.projects.sheets.columns import (
    KIND_LABELS,
    PROJECT_COLUMNS,
    STAGE_COLUMN,
    STAGE_LABELS,
    STATE_LABELS,
    as_text,
)

# Exports stream this many projects at a time, each batch with its milestones.
EXPORT_CHUNK = 1000


def _nodes_of(queryset):
    nodes = KeyNode.objects.filter(campaign_id__in=queryset.values("campaign_id")).order_by(
        "order", "pk"
    )
    unique = {}
    for node in nodes:
        unique.setdefault(node.code, node)
    return list(unique.values())


EXPORT_FIELDS = (
    "pk",
    "code",
    "name",
    "lead_unit__name",
    "responsible_person__name",
    "investment_yuan",
    "sector",
    "kind",
    "address",
    "longitude",
    "latitude",
    "introduced_planned",
    "started_planned",
    "completed_planned",
    "stage",
)


def _export_batches(queryset, fields, *, supporting=False):
    """Stream ``queryset`` as value rows, a thousand at a time, each batch with its milestones.

    Values, not model instances: an export of a city's 100,000 projects builds no
    objects. Queries: one streamed query for the projects, then one for the milestones
    (and one for the supporting units) per batch. The caller's prefetches are dropped.
    """
    rows = queryset.prefetch_related(None).values_list(*fields).iterator(chunk_size=EXPORT_CHUNK)
    while batch := list(islice(rows, EXPORT_CHUNK)):
        ids = [row[0] for row in batch]
        milestones = defaultdict(dict)
        for project_id, node_id, planned, actual, state in Milestone.objects.filter(
            project_id__in=ids
        ).values_list("project_id", "node_id", "planned_date", "actual_date", "state"):
            milestones[project_id][node_id] = (planned, actual, state)
        units = defaultdict(list)
        if supporting:
            links = Project.supporting_units.through.objects.filter(project_id__in=ids)
            for project_id, name in links.order_by("unit__code").values_list(
                "project_id", "unit__name"
            ):
                units[project_id].append(name)
        yield batch, milestones, units


def project_rows(queryset, nodes=None):
    """Headers and streamed rows of the project sheet for ``queryset`` (restricted by the caller).

    The same shape the importer reads, so an exported list can be edited and imported
    again. Queries: the key nodes (unless given), the projects, and two per thousand.
    """
    nodes = list(nodes) if nodes is not None else _nodes_of(queryset)
    columns = [*PROJECT_COLUMNS, STAGE_COLUMN]
    headers = [c.header for c in columns] + [n.name for n in nodes]

    def rows():
        for batch, milestones, units in _export_batches(queryset, EXPORT_FIELDS, supporting=True):
            for values in batch:
                (pk, code, name, lead, person, investment, sector, kind, address) = values[:9]
                (longitude, latitude, introduced, started, completed, stage) = values[9:]
                planned = milestones.get(pk, {})
                yield [
                    code,
                    name,
                    lead,
                    "、".join(units.get(pk, ())) or None,
                    person,
                    wan_number(investment),
                    sector or None,
                    KIND_LABELS.get(kind, kind),
                    address or None,
                    float(longitude) if longitude is not None else None,
                    float(latitude) if latitude is not None else None,
                    introduced,
                    started,
                    completed,
                    STAGE_LABELS.get(stage, stage),
                    *(planned.get(n.pk, (None,))[0] for n in nodes),
                ]

    return headers, rows()


def node_matrix_rows(queryset, nodes):
    """Headers and streamed rows of the node matrix: a cell per node, "planned / actual / state"."""
    nodes = list(nodes)
    headers = [
        PROJECT_COLUMNS[0].header,
        PROJECT_COLUMNS[1].header,
        PROJECT_COLUMNS[2].header,
        STAGE_COLUMN.header,
    ] + [n.name for n in nodes]

    def cell(milestone):
        if milestone is None:
            return None
        planned, actual, state = milestone
        return "{} / {} / {}".format(
            as_text(planned) or "—", as_text(actual) or "—", STATE_LABELS.get(state, state)
        )

    def rows():
        fields = ("pk", "code", "name", "lead_unit__name", "stage")
        for batch, milestones, _units in _export_batches(queryset, fields):
            for pk, code, name, lead, stage in batch:
                by_node = milestones.get(pk, {})
                yield [
                    code,
                    name,
                    lead,
                    STAGE_LABELS.get(stage, stage),
                    *(cell(by_node.get(n.pk)) for n in nodes),
                ]

    return headers, rows()


def template_rows(campaign):
    """Headers of an empty project sheet for ``campaign`` (the import template)."""
    nodes = list(KeyNode.objects.filter(campaign=campaign).order_by("order"))
    return [c.header for c in PROJECT_COLUMNS] + [n.name for n in nodes], []
