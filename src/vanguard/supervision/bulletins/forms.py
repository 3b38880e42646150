"""The office's forms: drafting a month, editing the narrative, issuing under a number."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from vanguard.supervision.bulletins.actions import TEXT_MAX
from vanguard.supervision.bulletins.narrative import sections


class DraftForm(forms.Form):
    month = forms.CharField(label=_("Month"), help_text=_("YYYY-MM"), max_length=7)

    def clean_month(self):
        try:
            return datetime.datetime.strptime(self.cleaned_data["month"].strip(), "%Y-%m").date()
        except ValueError:
            raise forms.ValidationError(_("Write the month as YYYY-MM, e.g. 2026-10.")) from None


class EditForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Title"), max_length=200)
    copy_to = forms.CharField(label=_("Copied to (抄送)"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in sections():
            self.fields["section_" + code] = forms.CharField(
                label=label,
                required=False,
                max_length=TEXT_MAX,
                widget=forms.Textarea(attrs={"rows": 5}),
            )

    @classmethod
    def for_bulletin(cls, bulletin):
        initial = {
            "version": bulletin.version,
            "title": bulletin.title,
            "copy_to": bulletin.copy_to,
        }
        for code, _label in sections():
            initial["section_" + code] = bulletin.narrative.get(code, "")
        return cls(initial=initial)

    def narrative(self):
        return {code: self.cleaned_data.get("section_" + code, "") for code, _label in sections()}


class IssueForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    number = forms.CharField(
        label=_("Document number"),
        max_length=60,
        help_text=_("e.g. 西海岸攻坚办〔2026〕11号"),
    )
    issued_on = forms.DateField(label=_("Date of issue"), required=False)
