"""The one status-light engine (亮灯): a registry of rules, a set-based recompute, cheap reads.

Every subject (a key node, a project, a unit, an indicator; later list items) gets one
light per campaign, stored in ``LightState``; each change of light adds a ``LightEvent``.
The engine knows no domain: each domain app registers the kinds of subject it lights,
with their rules and reason texts, in its ``AppConfig.ready()`` (``kinds.register``).
The rules themselves live with their domain (``projects.lights``, ``indicators.lights``).

``recompute`` judges every subject of a campaign kind by kind, in the order the kinds
were registered (a roll-up is registered after the kinds it reads): each kind's rules
give one set-based query whose result goes into a temporary table beside the stored
states; then one statement adds the events, one upserts the states that differ, one
drops the states of subjects that are gone. Its query count does not depend on how
many subjects there are, and a quiet day rewrites almost nothing.

A recompute judges the facts as they are now, as of ``today``: a back-dated run
(``--date``) shows what the lights would have been with today's data, not a replay.
"""

import datetime
import json
import logging
import time
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connections, transaction
from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone

from vanguard.calendar.due import working_day_after
from vanguard.calendar.services import load_calendar
from vanguard.core.bulk import sqlite_cache
from vanguard.org.models import Campaign
from vanguard.supervision.choices import Light
from vanguard.supervision.kinds import groups, kinds, kinds_in, rules_for
from vanguard.supervision.models import LightEvent, LightPolicy, LightRecompute, LightState
from vanguard.supervision.partitions import ensure_month

log = logging.getLogger(__name__)


# --- thresholds for one run ------------------------------------------------------------


def policy_for(campaign):
    """The campaign's light policy, or an unsaved one holding the defaults."""
    return LightPolicy.objects.filter(campaign=campaign).first() or LightPolicy(campaign=campaign)


def warning_date(today, working_days, calendar=None):
    """The N-th working day after ``today``: a node due up to then is yellow (today when N = 0).

    Beyond the years whose holidays are known the calendar counts provisionally, so the
    daily recompute does not stop at the turn of a year nobody has entered yet.
    """
    return working_day_after(today, calendar or load_calendar(), max(working_days, 0)).day


@dataclass(frozen=True)
class Judging:
    """What one recompute judges with: the day, the campaign's thresholds, the calendar."""

    today: datetime.date
    policy: LightPolicy = field(compare=False)
    # The working calendar, read once per run, for the rules that count working days.
    calendar: object = field(default=None, compare=False, repr=False)

    @classmethod
    def of(cls, policy, today, calendar=None):
        return cls(today=today, policy=policy, calendar=calendar or load_calendar())


# --- the rows a kind's rules give ----------------------------------------------------------

ROW_FIELDS = ("s_object", "s_unit", "s_reason", "s_params")


def subject_rows(queryset, *, object_id, unit, reason, params):
    """One row per subject: (s_object, s_unit, s_reason, s_params); ``_write`` adds the light.

    ``object_id`` and ``unit`` are expressions for the subject's key and its unit,
    ``reason`` one for its reason code, ``params`` a ``JSONObject`` of the facts.
    """
    return (
        queryset.annotate(s_object=object_id, s_unit=unit, s_reason=reason, s_params=params)
        .order_by()
        .values(*ROW_FIELDS)
    )


@dataclass(frozen=True)
class JudgedSql:
    """A kind's judgement as SQL text: one row (s_object, s_unit, s_reason, s_params) per subject."""

    sql: str
    params: list
    db: str


def _compiled(rows):
    """``rows`` (a queryset from ``subject_rows`` or a ``JudgedSql``) as SQL and parameters."""
    if isinstance(rows, JudgedSql):
        return rows.sql, list(rows.params)
    sql, params = rows.query.get_compiler(rows.db).as_sql()
    return sql, list(params)


def judged(rows):
    """The judged rows as tuples (s_object, s_unit, s_reason, s_params), for reading only."""
    sql, params = _compiled(rows)
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def json_object_sql(connection, columns):
    """SQL building a JSON object of ``{key: column}``, as Django's JSONObject does."""
    function = "JSONB_BUILD_OBJECT" if connection.vendor == "postgresql" else "JSON_OBJECT"
    pairs = ", ".join("'{}', {}".format(key, column) for key, column in columns.items())
    return "{}({})".format(function, pairs)


def listed_rows(rows, *, db):
    """Rows judged in Python as SQL for ``_write``: (object, unit, reason, params) each."""
    connection = connections[db]
    as_json = "CAST(v.column4 AS jsonb)" if connection.vendor == "postgresql" else "v.column4"
    select = (
        "SELECT CAST(v.column1 AS bigint) AS s_object, CAST(v.column2 AS bigint) AS s_unit, "
        "CAST(v.column3 AS varchar(32)) AS s_reason, {} AS s_params FROM ({}) v"
    )
    if not rows:
        return JudgedSql(
            select.format(
                as_json,
                "SELECT NULL AS column1, NULL AS column2, NULL AS column3, "
                "NULL AS column4 WHERE 1 = 0",
            ),
            [],
            db,
        )
    values = "VALUES " + ", ".join(["(%s, %s, %s, %s)"] * len(rows))
    params = [
        value
        for pk, unit, reason, facts in rows
        for value in (
            str(pk),
            None if unit is None else str(unit),
            reason,
            json.dumps(facts, ensure_ascii=False, sort_keys=True),
        )
    ]
    return JudgedSql(select.format(as_json, values), params, db)


def _light_sql(kind):
    """SQL (and its parameters) turning ``c0.s_reason`` into its light, from the kind's reasons."""
    reasons = rules_for(kind).reasons
    sql = "CASE c0.s_reason {} ELSE %s END".format(" ".join(["WHEN %s THEN %s"] * len(reasons)))
    params = [value for code, r in reasons.items() for value in (code, str(r.light))]
    return sql, [*params, str(Light.GREY)]


# --- writing -------------------------------------------------------------------------------


# A recompute that changed this many lights or more has the light tables analyzed.
ANALYZE_AFTER = 100_000

# Scratch tables: each kind's subjects as judged (``{JUDGED}_<n>``, made before the write
# transaction), and one kind's at a time beside their stored state (``JUDGED``, in it).
JUDGED = "supervision_judged"

_COLUMNS = (
    "id",
    "campaign_id",
    "kind",
    "object_id",
    "unit_id",
    "light",
    "from_light",
    "to_light",
    "reason",
    "params",
    "as_of",
    "at",
    "since",
    "since_date",
)

# A kind's subjects as judged: each one's light from its reason.
VERDICTS_SQL = (
    "SELECT c0.s_object, c0.s_unit, c0.s_reason, c0.s_params, {light_sql} AS s_light "
    "FROM ({rows_sql}) c0"
)

# The judged subjects whose state must be written (new, or differing from the stored
# one), with the light each had: a quiet day sets down almost none of the millions
# judged.
JUDGE_SQL = (
    "CREATE TEMPORARY TABLE {judged} AS "
    "SELECT c.s_object, c.s_unit, c.s_reason, c.s_params, c.s_light, "
    "s.{id} AS old_id, s.{light} AS old_light "
    "FROM {verdicts} c "
    "LEFT JOIN {state} s "
    "ON s.{kind} = %s AND s.{object_id} = c.s_object AND s.{campaign_id} = %s "
    "WHERE s.{id} IS NULL OR s.{light} <> c.s_light OR s.{reason} <> c.s_reason "
    "OR s.{params} <> c.s_params OR COALESCE(s.{unit_id}, 0) <> COALESCE(c.s_unit, 0)"
)

# An event for each subject whose light is new or changed.
EVENTS_SQL = (
    "INSERT INTO {event} ({campaign_id}, {kind}, {object_id}, {unit_id}, {from_light}, "
    "{to_light}, {reason}, {params}, {as_of}, {at}) "
    "SELECT %s, %s, c.s_object, c.s_unit, COALESCE(c.old_light, ''), c.s_light, "
    "c.s_reason, c.s_params, %s, %s FROM {judged} c "
    "WHERE c.old_id IS NULL OR c.old_light <> c.s_light"
)

# Only the subjects whose state differs reach the upsert, so a quiet day rewrites
# almost nothing; the since columns move only when the light does. (The WHERE also
# lets SQLite tell the upsert's ON from a join's.)
UPSERT_SQL = (
    "INSERT INTO {state} ({campaign_id}, {kind}, {object_id}, {unit_id}, {light}, "
    "{reason}, {params}, {since}, {since_date}) "
    "SELECT %s, %s, c.s_object, c.s_unit, c.s_light, c.s_reason, c.s_params, %s, %s "
    "FROM {judged} c WHERE c.s_object IS NOT NULL "
    "ON CONFLICT ({kind}, {object_id}, {campaign_id}) DO UPDATE SET "
    "{since} = CASE WHEN {state}.{light} = excluded.{light} THEN {state}.{since} "
    "ELSE excluded.{since} END, "
    "{since_date} = CASE WHEN {state}.{light} = excluded.{light} "
    "THEN {state}.{since_date} ELSE excluded.{since_date} END, "
    "{light} = excluded.{light}, {unit_id} = excluded.{unit_id}, "
    "{reason} = excluded.{reason}, {params} = excluded.{params}"
)

# A subject deleted or moved out of the campaign has no light here any more. After the
# upsert every judged subject has a state, so states outnumber judged subjects exactly
# when some are gone: that comparison comes first, and the usual case (nothing gone,
# however many subjects are new) skips the scan. NOT IN lets both databases hash the
# judged subjects once rather than search the unindexed scratch table per state.
DELETE_GONE_SQL = (
    "DELETE FROM {state} WHERE {campaign_id} = %s AND {kind} = %s "
    "AND (SELECT COUNT(*) FROM {state} g WHERE g.{campaign_id} = %s AND g.{kind} = %s) "
    "> (SELECT COUNT(*) FROM {verdicts} c) "
    "AND {object_id} NOT IN (SELECT c.s_object FROM {verdicts} c)"
)


@dataclass(frozen=True)
class Verdicts:
    """A kind's subjects as judged: SQL in parentheses, or the scratch table holding them."""

    source: str
    params: list
    db: str
    # The scratch table, dropped once written; None while the kind is still SQL (``verdicts``).
    table: str | None = None


def verdicts(rows, kind):
    """``rows`` of ``kind`` with their lights, as SQL the write judges as it reads."""
    rows_sql, rows_params = _compiled(rows)
    light_sql, light_params = _light_sql(kind)
    select = VERDICTS_SQL.format(light_sql=light_sql, rows_sql=rows_sql)
    return Verdicts("(" + select + ")", [*light_params, *rows_params], rows.db)


def prejudge(rows, kind, table):
    """Judge ``rows`` of ``kind`` into the scratch table ``table`` now, before the write.

    Outside the write transaction: on SQLite a temporary table is written in the
    connection's own database, so writers go on while the rules read the facts.
    """
    found = verdicts(rows, kind)
    connection = connections[found.db]
    name = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        # A run that failed after judging may have left its table on this connection.
        cursor.execute("DROP TABLE IF EXISTS {}".format(name))
        cursor.execute(
            "CREATE TEMPORARY TABLE {} AS SELECT * FROM {} c0".format(name, found.source),
            found.params,
        )
    return Verdicts(name, [], found.db, table=name)


def drop_verdicts(found):
    """Drop the scratch tables of ``found`` (Verdicts) that a run did not write."""
    for item in found:
        if item.table is not None:
            with connections[item.db].cursor() as cursor:
                cursor.execute("DROP TABLE IF EXISTS {}".format(item.table))


def _write(judged_now, *, kind, campaign, as_of, now):
    """Store the lights of ``judged_now`` (Verdicts): an event for each change, the states
    that differ.

    The subjects are set once beside their stored states in a temporary table; then
    one statement adds the events, one upserts the states that differ, one drops the
    states of subjects gone. The statement count does not depend on the number of
    subjects. Returns the number of events added.
    """
    connection = connections[judged_now.db]
    qn = connection.ops.quote_name
    names = {name: qn(name) for name in _COLUMNS}
    tables = {
        "state": qn(LightState._meta.db_table),
        "event": qn(LightEvent._meta.db_table),
        "judged": qn(JUDGED),
    }
    day = connection.ops.adapt_datefield_value(as_of)
    moment = connection.ops.adapt_datetimefield_value(now)
    subject = [str(kind), campaign.pk]

    def sql(template, **parts):
        return template.format(**tables, **names, **parts)

    statements = [
        (sql(JUDGE_SQL, verdicts=judged_now.source), [*judged_now.params, *subject]),
    ]
    events_at = len(statements)
    statements += [
        (sql(EVENTS_SQL), [campaign.pk, str(kind), day, moment]),
        (sql(UPSERT_SQL), [campaign.pk, str(kind), moment, day]),
        (
            sql(DELETE_GONE_SQL, verdicts=judged_now.source),
            [campaign.pk, str(kind), campaign.pk, str(kind)],
        ),
        (sql("DROP TABLE {judged}"), []),
        ("DROP TABLE {}".format(judged_now.source), []),
    ]
    events = 0
    with connection.cursor() as cursor:
        for i, (statement, params) in enumerate(statements):
            cursor.execute(statement, params)
            if i == events_at:
                events = max(cursor.rowcount, 0)
    return events


@dataclass
class RecomputeResult:
    """What a recompute left: subjects per kind and light, and how many lights changed."""

    campaign: str
    as_of: datetime.date
    events: int = 0
    # Seconds spent reading the rules before the write, and holding the write.
    reading_s: float = 0.0
    writing_s: float = 0.0
    # The kinds judged (None: all), whose lights ``counts`` counts when first asked: a
    # province's eight million take seconds to count, and the nightly job never asks.
    judged: frozenset | None = None
    _counts: dict | None = field(default=None, repr=False)
    _of: Campaign | None = field(default=None, repr=False)

    @property
    def counts(self):
        """``{kind: {light: count}}`` of the campaign's subjects of the kinds judged."""
        if self._counts is None:
            self._counts = _counts(self._of, self.judged) if self._of is not None else {}
        return self._counts

    def count(self, kind, light):
        """How many subjects of ``kind`` now have ``light``."""
        return self.counts.get(str(kind), {}).get(str(light), 0)


def recompute(campaign, today=None, only=None, group=None):
    """Judge every subject of ``campaign`` as of ``today`` and store what changed.

    Set-based: a fixed number of statements per kind. The rules read the facts first,
    outside any write transaction, each kind into a scratch table; then one short
    transaction that holds the campaign row writes what changed, so two recomputes of
    one campaign never write the same change twice, and one that read older facts than
    the lights already stored writes nothing. A roll-up reads the lights written before
    it, so it is judged in the write. ``group`` (a battle, ``kinds.groups``) judges that
    group's kinds alone, as a write of that battle asks: its pages' as-of moves, the
    other groups' stays. A campaign never judged is judged whole. ``only`` (kinds)
    judges those kinds alone and moves no as-of, for a rule whose facts change with the
    clock rather than with a write (a city case turning overdue); a roll-up must be
    named with the kinds it reads.
    """
    if group is not None and only is not None:
        raise ValueError("Recompute either a group of kinds or the kinds named, not both.")
    grouped = set(kinds_in(group)) if group is not None else None
    today = today or timezone.localdate()
    now = timezone.now()
    result = RecomputeResult(campaign=campaign.code, as_of=today, _of=campaign)
    db = campaign._state.db or "default"
    # A first recompute of a city writes most of a million states and events.
    with sqlite_cache(using=db):
        if grouped is not None and LightRecompute.objects.filter(campaign=campaign).exists():
            only = grouped
        judging = Judging.of(policy_for(campaign), today)
        judged_kinds = [kind for kind in kinds() if only is None or kind in only]
        result.judged = frozenset(only) if only is not None else None
        found = {}
        started = time.monotonic()
        try:
            for i, kind in enumerate(judged_kinds):
                rules = rules_for(kind)
                if not rules.reads:
                    rows = rules.judge(campaign, judging)
                    found[kind] = prejudge(rows, kind, "{}_{}".format(JUDGED, i))
            # On PostgreSQL the events of the month go to its partition (decision 0039).
            ensure_month(today, using=db)
            written = time.monotonic()
            result.events = _store(campaign, judged_kinds, found, judging, now, only, group)
            result.reading_s = written - started
            result.writing_s = time.monotonic() - written
        finally:
            drop_verdicts(found.values())
        if result.events is None:
            log.info("lights of %s: newer lights are stored; nothing written", campaign.code)
            result.events = 0
            return result
        if result.events >= ANALYZE_AFTER and connections[db].vendor == "postgresql":
            # Millions of new lights (a first recompute): plan on their counts at once.
            with connections[db].cursor() as cursor:
                for model in (LightState, LightEvent):
                    cursor.execute("ANALYZE {}".format(model._meta.db_table))
    log.info(
        "lights of %s as of %s%s: %s changes; read %.2f s, written %.2f s",
        campaign.code,
        today,
        " ({})".format(group) if group is not None else "",
        result.events,
        result.reading_s,
        result.writing_s,
    )
    return result


def _store(campaign, judged_kinds, found, judging, now, only, group):
    """Write the lights judged (``found``, and the roll-ups judged here) in one transaction.

    Returns the number of lights changed, or None when a recompute that read the facts
    later has stored its lights already.
    """
    events = 0
    with transaction.atomic():
        # FOR NO KEY UPDATE: serialises recomputes without blocking inserts that
        # reference the campaign. SQLite serialises writers by itself.
        list(
            Campaign.objects.select_for_update(no_key=True)
            .filter(pk=campaign.pk)
            .values_list("pk", flat=True)
        )
        last = None
        if only is None or group is not None:
            last = LightRecompute.objects.filter(campaign=campaign).first()
            stored_at = None
            if last is not None:
                stored_at = last.at_for(group) if only is not None else last.at
            if stored_at is not None and stored_at > now:
                return None
        # In the order registered: a roll-up reads the lights written before it.
        for i, kind in enumerate(judged_kinds):
            judged_now = found.pop(kind, None)
            if judged_now is None:
                rows = rules_for(kind).judge(campaign, judging)
                judged_now = prejudge(rows, kind, "{}_{}".format(JUDGED, i))
            events += _write(judged_now, kind=kind, campaign=campaign, as_of=judging.today, now=now)
        if only is None:
            # One statement: the pages' as-of moves with every whole recompute, for
            # every group.
            LightRecompute.objects.bulk_create(
                [
                    LightRecompute(
                        campaign=campaign, at=now, as_of=judging.today, events=events, groups={}
                    )
                ],
                update_conflicts=True,
                unique_fields=["campaign"],
                update_fields=["at", "as_of", "events", "groups"],
            )
        elif group is not None:
            # The campaign row is held: no other recompute changes the map meanwhile.
            LightRecompute.objects.filter(pk=last.pk).update(
                groups={**last.groups, str(group): now.isoformat()}
            )
    return events


def _counts(campaign, kinds_judged):
    """``{kind: {light: count}}`` of the campaign's subjects, of the kinds judged (None: all)."""
    states = LightState.objects.filter(campaign=campaign)
    if kinds_judged is not None:
        states = states.filter(kind__in=list(kinds_judged))
    counts = defaultdict(dict)
    for kind, light, n in states.order_by().values_list("kind", "light").annotate(n=Count("pk")):
        counts[kind][light] = n
    return dict(counts)


# --- reading -------------------------------------------------------------------------------


def _known(kind):
    """``kind`` as stored, refused with ``UnknownKind`` when no domain registered it.

    A misspelt kind would otherwise read as a kind with no lights at all.
    """
    rules_for(kind)
    return str(kind)


@dataclass(frozen=True)
class LightsAsOf:
    """When the lights a page shows had read the facts."""

    # The as-of a page states (亮灯截至): for a page across battles, the oldest group's.
    at: datetime.datetime
    # The day they were judged as of.
    as_of: datetime.date
    # The newest recompute of any group: the lights have not changed since.
    latest: datetime.datetime


def last_recompute(campaign, group=None):
    """When the campaign's lights of ``group`` (a battle; None: all) last read the facts.

    A ``LightsAsOf``, or None when the campaign's lights were never computed.
    """
    last = LightRecompute.objects.filter(campaign=campaign).first()
    if last is None:
        return None
    at = last.at_for(group) if group is not None else last.oldest(groups())
    return LightsAsOf(at=at, as_of=last.as_of, latest=last.latest)


def lights_for(kind, ids, *, campaign=None):
    """``{object_id: LightState}`` for the given subjects, in one query.

    Units have a light per campaign: pass ``campaign`` for them.
    """
    states = LightState.objects.filter(kind=_known(kind), object_id__in=list(ids))
    if campaign is not None:
        states = states.filter(campaign=campaign)
    return {state.object_id: state for state in states}


def annotate_light(queryset, kind, *, campaign=None, name="light"):
    """Add the subject's light (and its reason code as ``<name>_reason``) to each row.

    One query for a whole page; filter or order on ``name`` like on a column. The
    queryset should already be narrowed by ``org.access.restrict``.
    """
    states = LightState.objects.filter(kind=_known(kind), object_id=OuterRef("pk"))
    if campaign is not None:
        states = states.filter(campaign=campaign)
    return queryset.annotate(
        **{
            name: Subquery(states.values("light")[:1]),
            name + "_reason": Subquery(states.values("reason")[:1]),
        }
    )


def light_counts(campaign, kind):
    """``{light: count}`` of the subjects of ``kind`` in the campaign."""
    rows = (
        LightState.objects.filter(campaign=campaign, kind=_known(kind))
        .order_by()
        .values_list("light")
        .annotate(n=Count("pk"))
    )
    return dict(rows)


def history(kind, object_id, *, campaign=None):
    """The changes of one subject's light, oldest first."""
    events = LightEvent.objects.filter(kind=_known(kind), object_id=object_id)
    if campaign is not None:
        events = events.filter(campaign=campaign)
    return events.order_by("as_of", "at", "pk")


def pace_light(actual, expected, policy, *, closed=False):
    """The light of a target against today's checkpoint (序时进度).

    Points behind = 100 × (expected − actual) ÷ expected, judged with the same
    thresholds as a project's schedule: below the yellow threshold green, up to the red
    threshold yellow, beyond it red. Grey when there is no checkpoint to judge against.
    Once the target's period is over (``closed``) there is no catching up: short of the
    value is red, however little.
    """
    if expected is None or expected <= 0:
        return Light.GREY, None
    points = round(100 * (float(expected) - float(actual)) / float(expected), 1)
    if closed:
        return (Light.RED, points) if points > 0 else (Light.GREEN, 0)
    if points > policy.project_red_points:
        return Light.RED, points
    if points >= policy.project_yellow_points:
        return Light.YELLOW, points
    return Light.GREEN, max(points, 0)
