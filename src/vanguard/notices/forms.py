"""The office's form for a group robot."""

from django import forms
from django.utils.translation import gettext_lazy as _

from vanguard.notices.choices import ROBOT_KINDS
from vanguard.org.models import TaskForce, Unit


class WebhookForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=ROBOT_KINDS)
    url = forms.CharField(
        label=_("Webhook address"),
        max_length=500,
        help_text=_("The robot's webhook address, as its group settings show it."),
    )
    secret = forms.CharField(
        label=_("Signing secret"),
        max_length=200,
        required=False,
        help_text=_("DingTalk only: the secret (starting SEC) when the robot signs its messages."),
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.order_by("kind", "code"),
        to_field_name="code",
        required=False,
    )
    task_force = forms.ModelChoiceField(
        label=_("Task force"),
        queryset=TaskForce.objects.select_related("campaign").order_by("campaign", "battle"),
        required=False,
    )
