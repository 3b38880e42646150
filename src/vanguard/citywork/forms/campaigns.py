"""The office's form of a city-management campaign, and of one week's plan."""

from django import forms
from django.utils.translation import gettext_lazy as _

from vanguard.citywork.forms import styled
from vanguard.citywork.models import CityCampaign
from vanguard.citywork.models.campaigns import QUANTITY
from vanguard.org.models import Unit

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CityCampaignForm(forms.Form):
    """What the office says of a campaign: name, owner, measure and weekly target, dates."""

    code = forms.CharField(label=_("Code"), max_length=64)
    name = forms.CharField(label=_("Name"), max_length=200)
    lead_unit = forms.ModelChoiceField(
        label=_("Lead unit"), queryset=Unit.objects.order_by("code"), to_field_name="code"
    )
    # A name, looked up among the lead unit's people: a city has tens of thousands.
    responsible_person = forms.CharField(label=_("Responsible person"), max_length=100)
    measure = forms.CharField(label=_("What is counted"), max_length=100)
    measuring_unit = forms.CharField(label=_("Measuring unit"), max_length=16)
    weekly_target = forms.DecimalField(label=_("Weekly target"), min_value=0, **QUANTITY)
    start_date = forms.DateField(label=_("Start"), widget=_DATE)
    end_date = forms.DateField(label=_("End"), widget=_DATE)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=4000, widget=forms.Textarea
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        styled(self)
        if editing:
            self.fields["code"].disabled = True

    @staticmethod
    def initial_of(city_campaign: CityCampaign):
        return {
            "code": city_campaign.code,
            "name": city_campaign.name,
            "lead_unit": city_campaign.lead_unit,
            "responsible_person": city_campaign.responsible_person.name,
            "measure": city_campaign.measure,
            "measuring_unit": city_campaign.measuring_unit,
            "weekly_target": city_campaign.weekly_target,
            "start_date": city_campaign.start_date,
            "end_date": city_campaign.end_date,
            "description": city_campaign.description,
            "version": city_campaign.version,
        }


def person_of(form):
    """The responsible person the form names, within its lead unit; a form error if none."""
    from vanguard.org.models import Person

    unit, name = form.cleaned_data.get("lead_unit"), form.cleaned_data.get("responsible_person")
    if unit is None or not name:
        return None
    found = list(Person.objects.filter(unit=unit, name=name.strip())[:2])
    if len(found) == 1:
        return found[0]
    form.add_error(
        "responsible_person",
        _("{unit} has several people named “{name}”.").format(unit=unit.name, name=name)
        if found
        else _("{unit} has no person named “{name}”.").format(unit=unit.name, name=name),
    )
    return None


class WeekPlanForm(forms.Form):
    """One week planned differently from the weekly target."""

    period = forms.CharField(max_length=16)
    planned = forms.DecimalField(label=_("Planned"), min_value=0, **QUANTITY)
