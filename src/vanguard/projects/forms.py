"""Forms of the projects battle: the dekad report, the return of a report, project edits."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from vanguard.core.forms import CleanForm, add_action_errors  # noqa: F401  (its views use it from here)
from vanguard.core.money import to_yuan
from vanguard.org.models import Unit
from vanguard.projects.actions import EVIDENCE_MAX_BYTES
from vanguard.projects.choices import STAGE_ORDER, MilestoneState, Stage


class DekadReportForm(CleanForm):
    """A unit's dekad report on one project; one date field per key node not yet done."""

    progress = forms.CharField(
        label=_("Progress this dekad"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
    investment_wan = forms.DecimalField(
        label=_("Investment completed this dekad (10,000 yuan)"),
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
        initial=0,
    )
    stage_reached = forms.ChoiceField(label=_("Stage reached"), required=False)
    stage_date = forms.DateField(
        label=_("Stage reached on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    blockers = forms.CharField(
        label=_("Problems met (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # The waiting report the form was filled from ("" when there was none).
    replaces = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, project, milestones, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        later = [s for s in Stage if STAGE_ORDER[s] > STAGE_ORDER[project.stage]]
        self.fields["stage_reached"].choices = [("", _("No change"))] + [
            (s.value, s.label) for s in later
        ]
        self.node_fields = []
        for milestone in milestones:
            if milestone.state != MilestoneState.PENDING:
                continue
            name = "node_" + milestone.node.code
            self.fields[name] = forms.DateField(
                label=milestone.node.name,
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
                help_text=(
                    _("planned %(date)s") % {"date": milestone.planned_date.isoformat()}
                    if milestone.planned_date
                    else ""
                ),
            )
            self.node_fields.append((name, milestone.node.code))

    def action_kwargs(self):
        """The cleaned data as do_submit_report's keyword arguments."""
        data = self.cleaned_data
        return {
            "progress": data["progress"],
            "investment_yuan": to_yuan(data["investment_wan"]),
            "stage_reached": data["stage_reached"] or "",
            "stage_date": data["stage_date"],
            "node_dates": {code: data[name] for name, code in self.node_fields if data.get(name)},
            "blockers": [line for line in data["blockers"].splitlines() if line.strip()],
            "replaces": int(data["replaces"]) if (data.get("replaces") or "").isdigit() else None,
        }

    def add_action_errors(self, error):
        """Show an action's ValidationError on the fields it names."""
        mapping = {"investment_yuan": "investment_wan", "node_dates": None, "period": None}
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                target = mapping.get(field, field)
                for message in messages:
                    self.add_error(target if target in self.fields else None, message)
        else:
            for message in error.messages:
                self.add_error(None, message)


class ReturnForm(CleanForm):
    """Why a report goes back to its unit."""

    reason = forms.CharField(label=_("Reason for return"), max_length=1000)


class SupportingUnitsForm(CleanForm):
    """The units that must help a project's lead unit (服务保障单位)."""

    supporting_units = forms.ModelMultipleChoiceField(
        label=_("Supporting units"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    # The project's version when the form was opened: a change made meanwhile is refused.
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, project, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "supporting_units": list(project.supporting_units.values_list("pk", flat=True)),
                "version": project.version,
            },
        )
        super().__init__(*args, **kwargs)
        self.project = project
        field = self.fields["supporting_units"]
        field.queryset = Unit.objects.exclude(pk=project.lead_unit_id).order_by("kind", "code")
        field.help_text = _("The lead unit ({unit}) is not listed: it leads the project.").format(
            unit=project.lead_unit.name
        )


class NotNeededForm(CleanForm):
    """Why a project does not need a key node (无需办理)."""

    reason = forms.CharField(
        label=_("Why is this key node not needed?"),
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


class NeededAgainForm(CleanForm):
    """Undoing “not needed”, with an optional reason for the change log."""

    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


class EvidenceForm(CleanForm):
    """A file proving a key node's step (证明材料): an approval, a permit, a photo."""

    evidence = forms.FileField(
        label=_("Evidence file"),
        widget=forms.FileInput(
            attrs={
                "class": "form-control",
                "accept": ".pdf,.ofd,.jpg,.jpeg,.png,.webp,.doc,.docx,.wps,.xls,.xlsx,.et",
            }
        ),
    )
    # The file the uploader saw: another uploaded meanwhile is not silently replaced.
    replaces = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, milestone, **kwargs):
        kwargs.setdefault("initial", {"replaces": milestone.evidence.name})
        super().__init__(*args, **kwargs)
        self.fields["evidence"].help_text = _(
            "PDF or OFD, JPG, PNG or WebP, Word or Excel; up to {limit} MB."
        ).format(limit=EVIDENCE_MAX_BYTES // (1024 * 1024))
