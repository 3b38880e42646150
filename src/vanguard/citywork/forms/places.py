"""Forms of places: the office's zone or road, an inspection's checklist."""

from django import forms
from django.utils.translation import gettext_lazy as _

from vanguard.citywork.choices import PlaceKind
from vanguard.citywork.forms import styled
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


class InspectionForm(forms.Form):
    """An inspection: the day, who, which criteria of the checklist were met, remarks."""

    inspected_on = forms.DateField(label=_("Inspected on"), widget=_DATE)
    inspectors = forms.CharField(label=_("Inspectors"), max_length=200)
    met = forms.MultipleChoiceField(
        label=_("Criteria met"), required=False, widget=forms.CheckboxSelectMultiple
    )
    remarks = forms.CharField(
        label=_("Remarks"), required=False, max_length=4000, widget=forms.Textarea
    )

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        styled(self)
        self.fields["met"].choices = [(c.code, c.text) for c in criteria]
