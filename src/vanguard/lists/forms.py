"""Forms of the units' lists: a unit's progress report, a task force's return, an item's
edit with its checkpoints."""

from django import forms
from django.utils.translation import gettext_lazy as _

from vanguard.lists.models import QUANTITY
from vanguard.org.choices import Cadence
from vanguard.org.models import Person


class ReportForm(forms.Form):
    """A unit's progress on one item for one period."""

    period = forms.ChoiceField(
        label=_("Period"), widget=forms.Select(attrs={"class": "form-select form-select-sm"})
    )
    quantity = forms.DecimalField(
        label=_("Cumulative quantity done"), required=False, min_value=0, **QUANTITY
    )
    milestone_done = forms.BooleanField(label=_("The period's milestone is done"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = list(periods)


class ReturnForm(forms.Form):
    """Why a task force returns a report."""

    reason = forms.CharField(label=_("Reason for return"), max_length=2000)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class VerifyForm(forms.Form):
    """The version of the report the verifier read."""

    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ItemEditForm(forms.Form):
    """An item's facts as the office (or its battle's task force) edits them."""

    requirement = forms.CharField(
        label=_("Requirement"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    responsible_person = forms.ModelChoiceField(
        label=_("Responsible person"),
        queryset=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    deadline = forms.DateField(label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}))
    cadence = forms.ChoiceField(
        label=_("Cadence"),
        choices=Cadence.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    target_quantity = forms.DecimalField(
        label=_("Target quantity"), required=False, min_value=0, **QUANTITY
    )
    measuring_unit = forms.CharField(label=_("Measuring unit"), required=False, max_length=16)
    reason = forms.CharField(label=_("Reason for the change"), required=False, max_length=2000)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_person"].queryset = Person.objects.filter(
            unit_id=item.unit_id
        ).order_by("name")
        if not item.is_quantity:
            del self.fields["target_quantity"]
            del self.fields["measuring_unit"]


class CheckpointForm(forms.Form):
    """One period of the plan: kept, changed, removed, or (a blank row) added."""

    period = forms.CharField(
        label=_("Period"),
        required=False,
        max_length=32,
        help_text=_("2026年3月, 2026年3月上旬, 2026年第10周 or 2026-03"),
    )
    due = forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    planned_quantity = forms.DecimalField(
        label=_("Planned cumulative quantity"), required=False, min_value=0, **QUANTITY
    )
    milestone = forms.CharField(label=_("Milestone"), required=False, max_length=500)
    remove = forms.BooleanField(label=_("Remove"), required=False)


CheckpointFormSet = forms.formset_factory(CheckpointForm, extra=3, max_num=400)
