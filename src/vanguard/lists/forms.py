"""Forms of the units' lists: a unit's progress report, a task force's return."""

from django import forms
from django.utils.translation import gettext_lazy as _

from vanguard.lists.models import QUANTITY


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
