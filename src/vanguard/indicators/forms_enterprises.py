"""Forms of sectors, key enterprises, their monthly figures, expectations, visits and problems.

Amounts are typed in 万元 and handed to the actions in yuan.
"""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from vanguard.core.forms import CleanForm
from vanguard.core.money import to_yuan
from vanguard.indicators.models import Indicator
from vanguard.indicators.models_enterprises import FigureKind, Sector
from vanguard.org.models import Unit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def add_action_errors(form, error, mapping=None):
    """Show an action's ValidationError on the fields it names (the rest above the form)."""
    mapping = mapping or {}
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = mapping.get(field, field)
            for message in messages:
                form.add_error(target if target in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def wan_field(label, *, required=True, help_text=""):
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
        help_text=help_text,
    )


class Styled:
    """Bootstrap classes on every visible widget, so templates render fields as they are."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if widget.is_hidden:
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class SectorForm(Styled, CleanForm):
    """A sector: name, responsible unit, measures, guidance target and the indicator it feeds."""

    name = forms.CharField(label=_("Sector"), max_length=100)
    responsible_unit = UnitChoiceField(label=_("Responsible unit"), queryset=Unit.objects.none())
    measures = forms.CharField(
        label=_("Sector plan measures (一业一策)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    guidance_growth_pct = forms.DecimalField(
        label=_("Guidance target growth (%)"),
        required=False,
        max_digits=7,
        decimal_places=2,
    )
    indicator = forms.ModelChoiceField(
        label=_("Main indicator fed"),
        required=False,
        queryset=Indicator.objects.none(),
        help_text=_("Left empty, the indicator whose sector has this name is linked."),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_unit"].queryset = Unit.objects.order_by("kind", "code")
        self.fields["indicator"].queryset = Indicator.objects.filter(campaign=campaign).order_by(
            "sort_order"
        )

    def action_kwargs(self):
        data = self.cleaned_data
        return {
            key: data[key]
            for key in ("name", "responsible_unit", "measures", "guidance_growth_pct", "indicator")
        }


class EnterpriseForm(Styled, CleanForm):
    """A key enterprise's register entry."""

    name = forms.CharField(label=_("Enterprise"), max_length=200)
    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        max_length=40,
        help_text=_("18 characters, as on the business licence."),
    )
    sector = forms.ModelChoiceField(label=_("Sector"), queryset=Sector.objects.none())
    serving_unit = UnitChoiceField(label=_("Serving unit"), queryset=Unit.objects.none())
    figure_kind = forms.ChoiceField(
        label=_("Monthly figure"),
        choices=[("", _("By sector"))] + FigureKind.choices,
        required=False,
    )
    contact_name = forms.CharField(label=_("Contact"), max_length=100, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=32, required=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = Sector.objects.filter(campaign=campaign).order_by(
            "sort_order", "name"
        )
        self.fields["serving_unit"].queryset = Unit.objects.order_by("kind", "code")

    def action_kwargs(self):
        data = self.cleaned_data
        kwargs = {
            key: data[key]
            for key in ("name", "credit_code", "sector", "serving_unit")
            + ("contact_name", "contact_phone")
        }
        kwargs["figure_kind"] = data["figure_kind"] or None
        return kwargs


class MonthFigureForm(Styled, CleanForm):
    """A key enterprise's figure for one month (and the same month last year), in 万元."""

    value_wan = wan_field(_("This month (10,000 yuan)"))
    last_year_wan = wan_field(_("Same month last year (10,000 yuan)"), required=False)
    reason = forms.CharField(label=_("Reason for the revision"), max_length=500, required=False)
    revises = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    month = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        if current is None:
            del self.fields["reason"]
        else:
            self.fields["reason"].required = True

    def action_kwargs(self):
        data = self.cleaned_data
        return {
            "value_yuan": to_yuan(data["value_wan"]),
            "last_year_yuan": to_yuan(data.get("last_year_wan")),
            "revises": data.get("revises"),
            "reason": data.get("reason", ""),
        }

    def add_action_errors(self, error):
        add_action_errors(
            self, error, {"value_yuan": "value_wan", "last_year_yuan": "last_year_wan"}
        )


class ExpectationForm(Styled, CleanForm):
    """What the enterprise expects for the rest of the year, and when it said so."""

    expectation_wan = wan_field(_("Expected for the rest of the year (10,000 yuan)"))
    expectation_on = forms.DateField(label=_("Given on"), widget=DATE)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def add_action_errors(self, error):
        add_action_errors(self, error, {"expectation_yuan": "expectation_wan"})


class VisitForm(Styled, CleanForm):
    """A visit: date, visitors, findings and the problems raised (one per line)."""

    visited_on = forms.DateField(label=_("Visited on"), widget=DATE)
    visitors = forms.CharField(label=_("Visitors"), max_length=300)
    findings = forms.CharField(
        label=_("Findings"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    blockers = forms.CharField(
        label=_("Problems raised (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    blocker_unit = UnitChoiceField(
        label=_("Owner unit of the problems"),
        required=False,
        queryset=Unit.objects.none(),
        help_text=_("Left empty, the serving unit owns them."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["blocker_unit"].queryset = Unit.objects.order_by("kind", "code")

    def action_kwargs(self):
        data = self.cleaned_data
        unit = data.get("blocker_unit")
        return {
            "visited_on": data["visited_on"],
            "visitors": data["visitors"],
            "findings": data["findings"],
            "blockers": [
                (line.strip(), "", unit) for line in data["blockers"].splitlines() if line.strip()
            ],
        }

    def add_action_errors(self, error):
        add_action_errors(self, error)


class ResolveForm(Styled, CleanForm):
    """How a problem was solved."""

    resolution = forms.CharField(label=_("Resolution"), max_length=2000)
