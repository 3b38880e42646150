"""Forms of patrols: start and end one, report a problem (also a volunteer activity's), check."""

import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from vanguard.citywork.forms import styled
from vanguard.citywork.forms.places import PhotosInput
from vanguard.citywork.models import CaseCategory, Grid
from vanguard.citywork.photos import PHOTOS_AT_ONCE
from vanguard.core.coords import CoordinateSystem
from vanguard.core.forms import CleanForm, MultipleFileField
from vanguard.exchange.files import MB

SHA256 = re.compile(r"^[0-9a-f]{64}$")


def category_choices():
    """The subcategories in use, grouped under their main category (大类), in order."""
    groups = {}
    for category in (
        CaseCategory.objects.filter(active=True, parent__isnull=False, parent__active=True)
        .select_related("parent")
        .order_by("parent__sort_order", "parent__code", "sort_order", "code")
    ):
        groups.setdefault(category.parent.name, []).append((category.code, category.name))
    return [("", "---------"), *groups.items()]


def photos_help():
    return gettext(
        "Up to {count} photos, each up to {size} MB: JPEG, PNG or WebP. The copies shown"
        " carry no place or time; the originals are kept for the office and the task force."
    ).format(count=PHOTOS_AT_ONCE, size=settings.PHOTO_MAX_BYTES // MB)


class StartPatrolForm(CleanForm):
    """Where the patrol goes: a grid (by its code, or the one the phone stands in), or an
    area in words, and a note.

    A city has thousands of grids: the form names none of them in a list. "Use my location"
    fills the phone's WGS84 point, and the grid holding it is taken; a code typed wins.
    """

    grid = forms.CharField(
        label=_("Grid"),
        max_length=64,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "hd-01"}),
    )
    area = forms.CharField(label=_("Area patrolled"), max_length=200, required=False)
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    lon = forms.FloatField(required=False, widget=forms.HiddenInput(attrs={"data-vg-lon": ""}))
    lat = forms.FloatField(required=False, widget=forms.HiddenInput(attrs={"data-vg-lat": ""}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        styled(self)
        self.fields["grid"].help_text = gettext(
            "The grid's code, or leave it empty and use your location: the grid you stand in"
            " is taken."
        )

    def clean_grid(self):
        code = self.cleaned_data["grid"].strip()
        if not code:
            return None
        grid = Grid.objects.filter(code=code).first()
        if grid is None:
            raise forms.ValidationError(gettext("No grid has the code “{code}”.").format(code=code))
        return grid

    def clean(self):
        data = super().clean()
        lon, lat = data.get("lon"), data.get("lat")
        if data.get("grid") is None and lon is not None and lat is not None:
            data["grid"] = Grid.objects.at(lon, lat)
        return data


class EndPatrolForm(CleanForm):
    note = forms.CharField(
        label=_("Note on the patrol"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        styled(self)


class CaseReportForm(CleanForm):
    """A problem seen on the spot: photos, where (the phone's position or typed), category,
    what is wrong."""

    photos = MultipleFileField(
        label=_("Photos"), required=False, allow_empty_file=True, widget=PhotosInput()
    )
    category = forms.ChoiceField(label=_("Category"))
    description = forms.CharField(
        label=_("What is wrong"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    lon = forms.CharField(
        label=_("Longitude"),
        max_length=32,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "data-vg-lon": ""}),
    )
    lat = forms.CharField(
        label=_("Latitude"),
        max_length=32,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "data-vg-lat": ""}),
    )
    coordinate_system = forms.ChoiceField(
        label=_("Coordinates taken in"),
        choices=CoordinateSystem.choices,
        initial=CoordinateSystem.WGS84,
        widget=forms.Select(attrs={"data-vg-system": ""}),
    )
    address = forms.CharField(
        label=pgettext_lazy("location", "Address"), max_length=300, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        styled(self)
        self.fields["category"].choices = category_choices()
        self.fields["photos"].help_text = photos_help()
        self.fields["lon"].help_text = gettext(
            "“Use my location” fills these from the phone (WGS84); typed ones may be in"
            " GCJ-02 (WeChat, Gaode) or BD-09 (Baidu) if so marked."
        )

    def clean_category(self):
        code = self.cleaned_data["category"]
        category = CaseCategory.objects.filter(code=code).select_related("parent").first()
        if category is None:
            raise forms.ValidationError(gettext("Choose a category."))
        return category


class KeptPhotosField(forms.Field):
    """Hashes of photos kept when the form was shown again (several hidden inputs)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        values = value if isinstance(value, list | tuple) else ([value] if value else [])
        return [v for v in values if isinstance(v, str) and SHA256.match(v)]


class FindingForm(CaseReportForm):
    """A patrol's problem; ``kept`` carries the photos already kept while a duplicate is
    offered."""

    kept = KeptPhotosField(required=False)


class CheckForm(CleanForm):
    """核查: the unit's work passes or fails on site, with a note and "after" photos."""

    RESULTS = (("pass", _("Passed: close the case")), ("fail", _("Failed: back to the unit")))

    result = forms.ChoiceField(
        label=_("Result"),
        choices=RESULTS,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    photos = MultipleFileField(
        label=_("Photos after"), required=False, allow_empty_file=True, widget=PhotosInput()
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        styled(self)
        self.fields["photos"].help_text = photos_help()
