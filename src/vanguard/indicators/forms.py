"""The form a reporter enters (or revises) one month's figures of an indicator with."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vanguard.core.forms import CleanForm
from vanguard.indicators.models import cumulative_label


class LevelField(forms.DecimalField):
    """A cumulative amount; a percentage here is a growth rate in the wrong field."""

    def to_python(self, value):
        if isinstance(value, str) and "%" in value:
            raise ValidationError(
                _(
                    "The cumulative level is an amount, not a percentage: enter the growth rate"
                    " in the growth field."
                ),
                code="percentage",
            )
        return super().to_python(value)


class GrowthField(forms.DecimalField):
    """A growth rate in percent; "5.2%" is read as 5.2."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().rstrip("%").strip()
        return super().to_python(value)


class ObservationForm(CleanForm):
    """One indicator's figures for an area and month; ``revises`` is the version shown."""

    level = LevelField(
        label=gettext_lazy("Cumulative level"),
        required=False,
        max_digits=18,
        decimal_places=2,
        min_value=Decimal("0.01"),
    )
    growth_pct = GrowthField(
        label=gettext_lazy("Cumulative growth (%)"),
        required=False,
        max_digits=7,
        decimal_places=2,
        min_value=Decimal(-100),
        max_value=Decimal(1000),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason for the revision"),
        required=False,
        max_length=500,
        help_text=gettext_lazy("For example: revised by the statistics bureau on publication."),
    )
    revises = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, indicator, month, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        if indicator.has_level:
            self.fields["level"].label = _("{months} cumulative ({unit})").format(
                months=cumulative_label(month), unit=indicator.unit_of_measure
            )
        else:
            del self.fields["level"]
        self.fields["growth_pct"].label = _("{months} cumulative growth (%)").format(
            months=cumulative_label(month)
        )
        if current is None:
            del self.fields["reason"]
        else:
            self.fields["reason"].required = True

    def clean(self):
        data = super().clean()
        if data.get("level") is None and data.get("growth_pct") is None and not self.errors:
            raise ValidationError(_("Enter the cumulative growth (%) or the cumulative level."))
        return data

    def action_kwargs(self):
        """The cleaned data as do_submit_observation's keyword arguments."""
        data = self.cleaned_data
        return {
            "level": data.get("level"),
            "growth_pct": data.get("growth_pct"),
            "reason": data.get("reason", ""),
            "revises": data.get("revises"),
        }

    def add_action_errors(self, error):
        """Show an action's ValidationError on the fields it names."""
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)
        else:
            for message in error.messages:
                self.add_error(None, message)
