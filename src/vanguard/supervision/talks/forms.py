"""Forms of the talk's lifecycle and of the commission's decision."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vanguard.org.choices import Role
from vanguard.org.models import Person, Unit
from vanguard.supervision.kinds import kind_choices
from vanguard.supervision.models.talks import Measure, TalkType
from vanguard.supervision.talks.actions import TEXT_MAX, subject_by_code

DATE = forms.DateInput(attrs={"type": "date"})


def _area(rows=3):
    return forms.Textarea(attrs={"rows": rows})


class ProposeTalkForm(forms.Form):
    """A talk proposed by the office or a task force about one matter of a unit."""

    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.order_by("kind", "code"), to_field_name="code"
    )
    kind = forms.ChoiceField(label=_("Kind of matter"), choices=kind_choices)
    subject = forms.CharField(
        label=_("Subject code"),
        required=False,
        max_length=100,
        help_text=_(
            "The code the pages show (a project's code such as XHA-0001); left empty for a "
            "matter of the unit as a whole."
        ),
    )
    talk_type = forms.ChoiceField(label=_("Talk type"), choices=TalkType.choices)
    reason = forms.CharField(label=_("Reason for the talk"), max_length=TEXT_MAX, widget=_area())

    def __init__(self, *args, campaign=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign

    def clean(self):
        data = super().clean()
        unit, kind, code = data.get("unit"), data.get("kind"), data.get("subject", "").strip()
        if unit is None or not kind:
            return data
        if not code:
            if kind != "unit":
                self.add_error("subject", _("Name the subject, or choose the unit as the matter."))
            data["object_id"] = unit.pk
            return data
        data["object_id"] = subject_by_code(self.campaign, kind, code, unit)
        if data["object_id"] is None:
            self.add_error(
                "subject",
                _(
                    "{unit} has no {kind} with the code {code} among the subjects with a light."
                ).format(unit=unit.name, kind=dict(kind_choices()).get(kind, kind), code=code),
            )
        return data


class NotifyForm(forms.Form):
    """The date and place the notice gives."""

    scheduled_on = forms.DateField(label=_("Talk date"), widget=DATE)
    place = forms.CharField(label=_("Place"), max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class RecordForm(forms.Form):
    """The record of a held talk."""

    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    interviewers = forms.ModelMultipleChoiceField(
        label=_("Talked to them"), queryset=Person.objects.none()
    )
    interviewees = forms.ModelMultipleChoiceField(
        label=_("Talked with"), queryset=Person.objects.none()
    )
    facts = forms.CharField(label=_("Facts"), max_length=TEXT_MAX, widget=_area())
    statement = forms.CharField(
        label=_("Statement and defence"), max_length=TEXT_MAX, widget=_area(), required=False
    )
    requirements = forms.CharField(label=_("Requirements"), max_length=TEXT_MAX, widget=_area())
    pledge = forms.CharField(label=_("Written pledge"), max_length=TEXT_MAX, widget=_area())
    pledge_due = forms.DateField(
        label=_("Pledge deadline"),
        widget=DATE,
        required=False,
        help_text=_("15 days after the talk when left empty."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, talk, **kwargs):
        super().__init__(*args, **kwargs)
        # Who holds a talk: leaders and the office; who is talked with: the unit's people.
        self.fields["interviewers"].queryset = (
            Person.objects.filter(
                roles__role__in=[Role.LEADER, Role.OFFICE, Role.DISCIPLINE_INSPECTOR]
            )
            .distinct()
            .order_by("name")
        )
        self.fields["interviewees"].queryset = Person.objects.filter(
            Q(unit_id=talk.unit_id)
        ).order_by("name")


class ReasonForm(forms.Form):
    """A reason: for referring a case, or for dismissing a proposed referral."""

    reason = forms.CharField(label=_("Reason"), max_length=TEXT_MAX, widget=_area(2))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class DecideForm(forms.Form):
    """The commission's decision on a referred case."""

    measures = forms.MultipleChoiceField(
        label=_("Measures"), choices=Measure.choices, widget=forms.CheckboxSelectMultiple
    )
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE)
    decision = forms.CharField(label=_("Decision"), max_length=TEXT_MAX, widget=_area())
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReferMatterForm(ProposeTalkForm):
    """A matter the office refers to the commission directly, without a talk."""

    talk_type = None
    reason = forms.CharField(label=_("Grounds for referral"), max_length=TEXT_MAX, widget=_area(2))
