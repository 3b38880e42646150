"""Forms to dispatch, follow up and resolve a problem."""

from django import forms
from django.utils.translation import gettext_lazy as _

from vanguard.blockers.actions import NOTE_MAX
from vanguard.org.models import Unit


class DispatchForm(forms.Form):
    """The unit a problem goes to, and what it is asked to do."""

    unit = forms.ModelChoiceField(
        label=_("Dispatch to"), queryset=Unit.objects.order_by("kind", "code"), to_field_name="code"
    )
    note = forms.CharField(
        label=_("Instructions"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FollowUpForm(forms.Form):
    """A note on where a problem stands."""

    note = forms.CharField(
        label=_("Follow-up note"), max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )


class ResolveForm(forms.Form):
    """How a problem was solved."""

    resolution = forms.CharField(label=_("Resolution"), max_length=2000)
