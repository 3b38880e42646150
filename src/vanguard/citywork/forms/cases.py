"""Forms of city cases: a case taken in by the office, each step of its flow, the categories
and their routes.

Every step's form carries the version of the case the person read (a hidden field), so
a step taken on a page someone else changed meanwhile is refused, never applied.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from vanguard.calendar.worktime import TimeUnit
from vanguard.citywork.forms import styled
from vanguard.citywork.forms.patrols import photos_help
from vanguard.citywork.forms.places import PhotosInput
from vanguard.citywork.models import CaseCategory, Grid
from vanguard.citywork.models.cases import CaseKind, CaseSource
from vanguard.core import geo
from vanguard.core.coords import CoordinateSystem
from vanguard.core.forms import CleanForm, MultipleFileField
from vanguard.maps import district
from vanguard.org.choices import Battle, Role
from vanguard.org.models import Unit

# The sources the office types in: a 12345 call, an inspection, a patrol's finding.
STAFF_SOURCES = (CaseSource.HOTLINE, CaseSource.INSPECTION, CaseSource.PATROL)
_TEXT = forms.Textarea(attrs={"rows": 2})


def units():
    return Unit.objects.order_by("kind", "code")


def checkers():
    """The people who may check cases: the office and the city-work task force."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(person__roles__role=Role.OFFICE)
            | Q(
                person__roles__role=Role.TASK_FORCE_MEMBER,
                person__roles__task_force__battle=Battle.CITYWORK,
            )
        )
        .distinct()
        .select_related("person")
        .order_by("username")
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        person = getattr(obj, "person", None)
        return "{} ({})".format(person.name, obj.get_username()) if person else obj.get_username()


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def category_groups(*, active_only=True):
    """The 小类 as choices grouped under their 大类, in their order (one query)."""
    rows = list(CaseCategory.objects.order_by("sort_order", "code"))
    names = {c.pk: c.name for c in rows if c.parent_id is None}
    groups = {}
    for row in rows:
        if row.parent_id is not None and (row.active or not active_only):
            groups.setdefault(row.parent_id, []).append((row.code, row.name))
    return [(names[pk], children) for pk, children in groups.items() if pk in names]


# --- a case taken in --------------------------------------------------------------------------


def point_of_address(text):
    """A point for an address that names a town or street of the district (镇街): the
    centre of that town or street, when it lies inside it; else None."""
    text = text or ""
    for feature in sorted(district.streets(), key=lambda f: -len(f["properties"]["name"])):
        if feature["properties"]["name"] in text:
            lon, lat = geo.centroid(feature["geometry"])
            if geo.contains(feature["geometry"], lon, lat):
                return round(lon, 6), round(lat, 6)
    return None


class NewCaseForm(CleanForm):
    """A case the office or the task force types in: a 12345 call, an inspection finding."""

    source = forms.ChoiceField(
        label=gettext_lazy("Source"),
        choices=[(s.value, s.label) for s in STAFF_SOURCES],
        initial=CaseSource.HOTLINE,
    )
    category = forms.ChoiceField(label=gettext_lazy("Category"))
    coordinate_system = forms.ChoiceField(
        label=gettext_lazy("Coordinates entered as"),
        choices=CoordinateSystem.choices,
        initial=CoordinateSystem.WGS84,
    )
    lon = forms.CharField(label=gettext_lazy("Longitude"), required=False, max_length=32)
    lat = forms.CharField(label=gettext_lazy("Latitude"), required=False, max_length=32)
    address = forms.CharField(
        label=gettext_lazy("Address of the problem"),
        required=False,
        max_length=300,
        help_text=gettext_lazy(
            "Without coordinates, an address that names the town or street places the case at"
            " its centre; the dispatcher then chooses the unit."
        ),
    )
    description = forms.CharField(
        label=gettext_lazy("Description"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    hotline_ticket = forms.CharField(
        label=gettext_lazy("12345 ticket"), required=False, max_length=64
    )
    reporter_name = forms.CharField(
        label=gettext_lazy("Caller's name"), required=False, max_length=100
    )
    reporter_phone = forms.CharField(
        label=gettext_lazy("Caller's phone"),
        required=False,
        max_length=32,
        help_text=gettext_lazy("Kept for the unit's call-back; never shown to the public."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "---------"), *category_groups()]
        styled(self)

    def clean(self):
        data = super().clean()
        code = data.get("category")
        category = CaseCategory.objects.filter(code=code, parent__isnull=False, active=True).first()
        if code and category is None:
            self.add_error("category", _("Choose a subcategory in use."))
        data["category_obj"] = category
        if data.get("source") == CaseSource.HOTLINE and not data.get("hotline_ticket"):
            self.add_error("hotline_ticket", _("Give the 12345 ticket number of the call."))
        self._clean_location(data)
        return data

    def _clean_location(self, data):
        lon, lat = (data.get("lon") or "").strip(), (data.get("lat") or "").strip()
        if lon or lat:
            try:
                placement = district.locate(lon, lat, data.get("coordinate_system"), field="lon")
            except ValidationError as error:
                for message in error.message_dict.get("lon", error.messages):
                    self.add_error("lon", message)
                return
            data["point"] = (placement.lon, placement.lat)
            return
        found = point_of_address(data.get("address"))
        if found is None:
            self.add_error(
                "lon",
                _(
                    "Give the longitude and latitude (or tap the map), or an address that"
                    " names the town or street."
                ),
            )
            return
        data["lon"], data["lat"] = str(found[0]), str(found[1])
        data["coordinate_system"] = CoordinateSystem.WGS84
        data["point"] = found


# --- the steps of a case ----------------------------------------------------------------------


class StepForm(CleanForm):
    """A step on a case: the version the person read."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        if case is not None and not self.is_bound:
            self.initial.setdefault("version", case.version)
        styled(self)


class ReasonForm(StepForm):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500, widget=_TEXT)


class DispatchForm(StepForm):
    unit = UnitChoiceField(
        label=gettext_lazy("Responsible unit"), queryset=units(), to_field_name="code"
    )
    checker = PersonChoiceField(
        label=gettext_lazy("Checker"),
        queryset=checkers(),
        to_field_name="username",
        required=False,
        help_text=gettext_lazy("Who checks the unit's work on site; empty: anyone of the office."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units()
        self.fields["checker"].queryset = checkers()


UPHOLD, REFUSE = "uphold", "refuse"


class DecideReturnForm(StepForm):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            (UPHOLD, gettext_lazy("Accept the return: send the case to another unit")),
            (REFUSE, gettext_lazy("Refuse the return: the case stays with the unit")),
        ],
        widget=forms.RadioSelect,
    )
    unit = UnitChoiceField(
        label=gettext_lazy("Other unit"), queryset=units(), to_field_name="code", required=False
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=500, required=False, widget=_TEXT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units()


class AfterPhotosForm(StepForm):
    """A step shown by "after" photos: the unit's of its work, the checker's on site."""

    photos = MultipleFileField(
        label=gettext_lazy("Photos after"),
        required=False,
        allow_empty_file=True,
        widget=PhotosInput(),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photos"].help_text = photos_help()


class HandleForm(AfterPhotosForm):
    reply = forms.CharField(
        label=gettext_lazy("What was done"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("The reply the reporter sees."),
    )
    field_order = ["reply", "photos"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photos"].label = gettext_lazy("Photos after handling")


PASSED, FAILED = "passed", "failed"


class CheckForm(AfterPhotosForm):
    result = forms.ChoiceField(
        label=gettext_lazy("Result of the check"),
        choices=[
            (PASSED, gettext_lazy("Passed: close the case")),
            (FAILED, gettext_lazy("Failed: back to the unit as rework")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=500, required=False, widget=_TEXT)
    field_order = ["result", "note", "photos"]


class PostponeForm(StepForm):
    until = forms.DateTimeField(
        label=gettext_lazy("More time until"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500, widget=_TEXT)


APPROVE = "approve"


class DecidePostponementForm(StepForm):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            (APPROVE, gettext_lazy("Approve: the time limit moves")),
            (REFUSE, gettext_lazy("Refuse: the time limit stays")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=500, required=False, widget=_TEXT)


class MergeForm(StepForm):
    into = forms.CharField(label=gettext_lazy("Merge into case"), max_length=32)


# --- categories and routes --------------------------------------------------------------------


class CategoryForm(CleanForm):
    """A main category or a subcategory with its time limit and responsible department."""

    code = forms.SlugField(label=gettext_lazy("Code"), max_length=64)
    name = forms.CharField(label=pgettext_lazy("thing", "Name"), max_length=100)
    parent = forms.ModelChoiceField(
        label=gettext_lazy("Main category"),
        queryset=CaseCategory.objects.none(),
        to_field_name="code",
        required=False,
        help_text=gettext_lazy("Empty for a main category; only subcategories take cases."),
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=CaseKind.choices)
    time_limit = forms.DecimalField(
        label=gettext_lazy("Time limit"), max_digits=6, decimal_places=1, min_value=0.1
    )
    time_unit = forms.ChoiceField(label=gettext_lazy("Counted in"), choices=TimeUnit.choices())
    unit = UnitChoiceField(
        label=gettext_lazy("Responsible department"),
        queryset=units(),
        to_field_name="code",
        required=False,
        help_text=gettext_lazy("Empty: the town or street of the case's grid handles it."),
    )
    duplicate_radius_m = forms.IntegerField(
        label=gettext_lazy("Duplicate radius (m)"), min_value=0, max_value=5000, initial=250
    )
    close_condition = forms.CharField(
        label=gettext_lazy("Condition for closing"), max_length=300, required=False
    )
    public = forms.BooleanField(
        label=gettext_lazy("Offered to the public"), required=False, initial=True
    )
    active = forms.BooleanField(label=gettext_lazy("In use"), required=False, initial=True)
    sort_order = forms.IntegerField(label=gettext_lazy("Order"), min_value=0, initial=0)

    def __init__(self, *args, editing=None, **kwargs):
        super().__init__(*args, **kwargs)
        mains = CaseCategory.objects.filter(parent__isnull=True).order_by("sort_order", "code")
        if editing is not None:
            mains = mains.exclude(pk=editing.pk)
            self.fields["code"].disabled = True
        self.fields["parent"].queryset = mains
        self.fields["unit"].queryset = units()
        styled(self)

    @staticmethod
    def initial_of(category):
        return {
            "code": category.code,
            "name": category.name,
            "parent": category.parent.code if category.parent_id else None,
            "kind": category.kind,
            "time_limit": category.time_limit,
            "time_unit": category.time_unit,
            "unit": category.unit.code if category.unit_id else None,
            "duplicate_radius_m": category.duplicate_radius_m,
            "close_condition": category.close_condition,
            "public": category.public,
            "active": category.active,
            "sort_order": category.sort_order,
        }


class RouteForm(CleanForm):
    """Send a category's cases in a grid (or every grid) to a unit."""

    category = forms.ModelChoiceField(
        label=gettext_lazy("Category"), queryset=CaseCategory.objects.none(), to_field_name="code"
    )
    grid = forms.ModelChoiceField(
        label=gettext_lazy("Grid"),
        queryset=Grid.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=gettext_lazy("Every grid"),
    )
    unit = UnitChoiceField(label=gettext_lazy("Unit"), queryset=units(), to_field_name="code")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = CaseCategory.objects.select_related("parent").order_by(
            "sort_order", "code"
        )
        self.fields["grid"].queryset = Grid.objects.order_by("code")
        self.fields["unit"].queryset = units()
        styled(self)
