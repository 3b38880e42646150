"""Forms of volunteer activities: the organiser's plan, the record of it held, a cancel, and
the resident's signup on the public page."""

from django import forms
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from vanguard.citywork.choices import ActivityKind
from vanguard.citywork.forms import styled
from vanguard.citywork.forms.patrols import photos_help
from vanguard.citywork.forms.places import PhotosInput
from vanguard.core.coords import CoordinateSystem
from vanguard.core.forms import CleanForm, MultipleFileField
from vanguard.org.access import access_for, may_keep_volunteers
from vanguard.org.models import Unit

_MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def organised_units(user):
    """The units ``user`` organises activities for: every unit for the keepers."""
    units = Unit.objects.order_by("code")
    return units if may_keep_volunteers(user) else units.filter(pk__in=access_for(user).unit_ids)


class ActivityForm(CleanForm):
    """A volunteer activity: what, when, where, who organises it, how many it takes."""

    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of activity"), choices=ActivityKind.choices)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=_MOMENT)
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=_MOMENT, required=False)
    address = forms.CharField(label=pgettext_lazy("activity", "Place"), max_length=300)
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
    unit = forms.ModelChoiceField(
        label=_("Organising unit"), queryset=Unit.objects.none(), to_field_name="code"
    )
    capacity = forms.IntegerField(label=_("Places for volunteers"), min_value=1, max_value=10_000)
    description = forms.CharField(
        label=pgettext_lazy("activity", "Description"),
        max_length=4000,
        required=False,
        widget=forms.Textarea,
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        styled(self)
        units = organised_units(user)
        self.fields["unit"].queryset = units
        # A street's reporter organises for the street alone: it is chosen already.
        only = list(units[:2])
        if len(only) == 1 and not self.initial.get("unit"):
            self.fields["unit"].initial = only[0].code


class HeldForm(CleanForm):
    """The activity took place: how many took part, what was done, its photos."""

    participants = forms.IntegerField(label=_("Participants"), min_value=0, max_value=100_000)
    summary = forms.CharField(
        label=_("What was done"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    photos = MultipleFileField(
        label=_("Photos"), required=False, allow_empty_file=True, widget=PhotosInput()
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        styled(self)
        self.fields["photos"].help_text = photos_help()


class CancelForm(CleanForm):
    reason = forms.CharField(label=_("Reason"), max_length=500)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        styled(self)


class SignupForm(CleanForm):
    """A resident's signup: a name and a mobile number. ``website`` is a trap for robots:
    hidden from people, filled in by scripts that fill in every field."""

    name = forms.CharField(label=_("Your name"), max_length=50)
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    website = forms.CharField(
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        styled(self)
        self.fields["phone"].help_text = gettext(
            "Only the organiser sees it, to reach you about the activity."
        )
