"""Forms of places: the office's zone or road, an inspection's checklist."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from vanguard.citywork.choices import PlaceKind
from vanguard.citywork.forms import styled
from vanguard.citywork.photos import PHOTOS_AT_ONCE
from vanguard.core.forms import MultipleFileField
from vanguard.exchange.files import MB
from vanguard.org.models import Unit

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlaceForm(forms.Form):
    """A demonstration zone or model road: owner, shape (GeoJSON), planned acceptance."""

    code = forms.CharField(label=_("Code"), max_length=64)
    kind = forms.ChoiceField(label=_("Kind of place"), choices=PlaceKind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    lead_unit = forms.ModelChoiceField(
        label=_("Lead unit"), queryset=Unit.objects.order_by("code"), to_field_name="code"
    )
    responsible_person = forms.CharField(label=_("Responsible person"), max_length=100)
    geometry = forms.CharField(
        label=_("Shape (GeoJSON, WGS84)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A zone is a Polygon, a road a LineString, as [longitude, latitude]."),
    )
    planned_acceptance = forms.DateField(label=_("Planned acceptance"), widget=_DATE)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=4000, widget=forms.Textarea
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        styled(self)
        if editing:
            self.fields["code"].disabled = True
            self.fields["kind"].disabled = True


class PhotosInput(forms.FileInput):
    """Photos taken on the spot (the phone's back camera) or chosen among those taken.

    Two file inputs of one name: the camera's takes one photo each time it opens (the
    page adds another once it holds one), the other takes several from the phone.
    """

    allow_multiple_selected = True
    template_name = "citywork/widgets/photos.html"


class InspectionForm(forms.Form):
    """An inspection: the day, who, which criteria were met, remarks, the photos taken."""

    inspected_on = forms.DateField(label=_("Inspected on"), widget=_DATE)
    inspectors = forms.CharField(label=_("Inspectors"), max_length=200)
    met = forms.MultipleChoiceField(
        label=_("Criteria met"), required=False, widget=forms.CheckboxSelectMultiple
    )
    remarks = forms.CharField(
        label=_("Remarks"), required=False, max_length=4000, widget=forms.Textarea
    )
    # An empty file reaches the photo store, which refuses it by name.
    photos = MultipleFileField(
        label=_("Photos"), required=False, allow_empty_file=True, widget=PhotosInput()
    )

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        styled(self)
        self.fields["met"].choices = [(c.code, c.text) for c in criteria]
        self.fields["photos"].help_text = gettext(
            "Up to {count} photos, each up to {size} MB and together up to {total} MB:"
            " JPEG, PNG or WebP. The originals, with where and when they were taken, are"
            " kept for the office and the task force; the copies shown carry none of it."
        ).format(
            count=PHOTOS_AT_ONCE,
            size=settings.PHOTO_MAX_BYTES // MB,
            total=settings.UPLOAD_MAX_BYTES // MB,
        )
