"""Forms of the orders' pages: issue, answer, verify, decide a proposal, exempt, edit rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from vanguard.core.forms import MultipleFileField
from vanguard.org.models import Person, Unit
from vanguard.supervision.models.orders import ExemptionGround, OrderColour
from vanguard.supervision.orders.actions import TEXT_MAX
from vanguard.supervision.orders.subjects import kind_choices

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class SubjectFields(forms.Form):
    """A subject named by its kind and its name (a project's code) or id."""

    subject_kind = forms.ChoiceField(label=_("Subject kind"), choices=())
    subject = forms.CharField(
        label=_("Subject"),
        max_length=200,
        help_text=_(
            "A project's code (XHA-0001), a key node as code/node, a unit's code, an indicator's code or a problem's number."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject_kind"].choices = kind_choices()


class IssueForm(SubjectFields):
    """A new supervision order."""

    colour = forms.ChoiceField(label=_("Colour"), choices=OrderColour.choices)
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.order_by("kind", "code"),
        to_field_name="code",
        required=False,
        help_text=_("Blank: the unit the subject belongs to."),
    )
    responsible = forms.ModelChoiceField(
        label=_("Responsible person"),
        queryset=Person.objects.select_related("unit").order_by("unit__code", "name"),
        required=False,
    )
    problem = forms.CharField(label=_("Problem"), max_length=TEXT_MAX, widget=TEXTAREA)
    requirement = forms.CharField(label=_("Requirement"), max_length=TEXT_MAX, widget=TEXTAREA)
    answer_working_days = forms.IntegerField(
        label=_("Answer within (working days)"),
        min_value=1,
        max_value=120,
        required=False,
        help_text=_("Blank: as the ladder's rules say for the colour."),
    )


class AnswerForm(forms.Form):
    text = forms.CharField(label=_("What the unit did"), max_length=TEXT_MAX, widget=TEXTAREA)
    files = MultipleFileField(label=_("Evidence files"), required=False)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Verification note"), max_length=TEXT_MAX, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ConfirmForm(ReasonForm):
    requirement = forms.CharField(
        label=_("Requirement (for an order)"), max_length=TEXT_MAX, required=False
    )


class ExemptionForm(SubjectFields):
    ground = forms.ChoiceField(label=_("Ground"), choices=ExemptionGround.choices)
    explanation = forms.CharField(label=_("Explanation"), max_length=TEXT_MAX, widget=TEXTAREA)
    valid_from = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))
    evidence = forms.FileField(label=_("Evidence file"))


class RulesForm(forms.Form):
    text = forms.CharField(
        label=_("Ladder rules (YAML or JSON)"),
        widget=forms.Textarea(attrs={"rows": 16, "class": "font-monospace"}),
        required=False,
    )
    note = forms.CharField(label=_("Why the rules change"), max_length=200, required=False)
