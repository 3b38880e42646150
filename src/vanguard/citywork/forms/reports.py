"""Forms of the weekly reports: a renewal project's week, a campaign's week, a return."""

from django import forms
from django.utils.translation import gettext_lazy as _

from vanguard.citywork.models.campaigns import QUANTITY

_SELECT = forms.Select(attrs={"class": "form-select form-select-sm"})
_DATE = forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"})


class RenewalReportForm(forms.Form):
    """A lead unit's week on a renewal project."""

    period = forms.ChoiceField(label=_("Week"), widget=_SELECT)
    progress_percent = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    started_on = forms.DateField(label=_("Started on"), required=False, widget=_DATE)
    completed_on = forms.DateField(label=_("Completed on"), required=False, widget=_DATE)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea)

    def __init__(self, *args, weeks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = list(weeks)


class CampaignReportForm(forms.Form):
    """A lead unit's quantity for one week of a campaign."""

    period = forms.ChoiceField(label=_("Week"), widget=_SELECT)
    quantity = forms.DecimalField(label=_("Quantity this week"), min_value=0, **QUANTITY)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea)

    def __init__(self, *args, weeks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = list(weeks)


class ReturnForm(forms.Form):
    """Why the task force returns a report or an application."""

    reason = forms.CharField(label=_("Reason for return"), max_length=2000)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class VersionForm(forms.Form):
    """The version of the thing the person read."""

    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
