"""Forms of the public pages: the photo report (随手拍), "me too", the tracking code, feedback.

They only parse what was typed; the citizen actions check the rest (HTML in the text,
the place in the district, the photos). Text keeps what the person typed on every error.
"""

import re

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from vanguard.citywork.actions.citizen import MOST_PHOTOS
from vanguard.citywork.models import CaseCategory
from vanguard.citywork.models.cases import TRACKING_ALPHABET, TRACKING_LENGTH
from vanguard.core.coords import CoordinateSystem
from vanguard.core.forms import CleanForm, MultipleFileField

# Digits, spaces, hyphens, brackets and a leading plus: a mobile, a landline with its
# area code and extension.
_PHONE = re.compile(r"\+?[0-9][0-9 ()\-]{4,30}")
KEPT_SALT = "vanguard.citywork.report.kept-photos"
# Photos kept while the citizen decides stay usable for this long.
KEPT_SECONDS = 2 * 3600


def public_categories():
    """The subcategories the public may choose, their main category first."""
    return (
        CaseCategory.objects.filter(
            parent__isnull=False, parent__active=True, active=True, public=True
        )
        .select_related("parent")
        .order_by("parent__sort_order", "parent__code", "sort_order", "code")
    )


def grouped(categories):
    """Choices grouped by main category (大类), for a <select> with <optgroup>s."""
    groups = {}
    for category in categories:
        groups.setdefault(category.parent.name, []).append((category.code, category.name))
    return [("", _("Choose the kind of problem")), *groups.items()]


def sign_kept(digests):
    return signing.dumps(list(digests), salt=KEPT_SALT, compress=True) if digests else ""


def read_kept(token):
    """The photo digests a kept-photos token names; none when it is forged or too old."""
    if not token:
        return []
    try:
        digests = signing.loads(token, salt=KEPT_SALT, max_age=KEPT_SECONDS)
    except signing.BadSignature:
        return []
    if not isinstance(digests, list):
        return []
    return [d for d in digests if isinstance(d, str) and re.fullmatch(r"[0-9a-f]{64}", d)][
        :MOST_PHOTOS
    ]


class PhotoInputs(forms.FileInput):
    """Up to three photos: one camera input at a time (the page adds the next)."""

    allow_multiple_selected = True
    template_name = "citywork/public/photo_inputs.html"


class ReportForm(CleanForm):
    """A citizen's photo report."""

    category = forms.ChoiceField(label=_("Kind of problem"))
    description = forms.CharField(
        label=_("What is wrong"),
        max_length=4000,
        widget=forms.Textarea(
            attrs={
                "rows": 4,
                "maxlength": 4000,
                "placeholder": _("E.g. rubbish piled by the bins at the gate for three days"),
            }
        ),
    )
    lon = forms.CharField(required=False, max_length=32, widget=forms.HiddenInput)
    lat = forms.CharField(required=False, max_length=32, widget=forms.HiddenInput)
    coordinate_system = forms.ChoiceField(
        required=False,
        choices=CoordinateSystem.choices,
        initial=CoordinateSystem.WGS84,
        widget=forms.HiddenInput,
    )
    address = forms.CharField(
        label=_("Where exactly (optional)"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Your phone, for a call-back (optional)"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    # An empty file reaches the photo store, which refuses it by name.
    photos = MultipleFileField(
        label=_("Photos"), required=False, allow_empty_file=True, widget=PhotoInputs()
    )
    kept = forms.CharField(required=False, widget=forms.HiddenInput)
    # The open cases nearby the person has been shown (their numbers), so they are not
    # shown again as a reason to stop.
    seen = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)
    # Left empty by people, whose browsers do not show it; filled by robots.
    homepage = forms.CharField(
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, categories=None, **kwargs):
        super().__init__(*args, **kwargs)
        categories = list(public_categories() if categories is None else categories)
        self.categories = {c.code: c for c in categories}
        self.fields["category"].choices = grouped(categories)
        for name in ("description", "address", "phone"):
            self.fields[name].widget.attrs.setdefault("class", "form-control")
        self.fields["category"].widget.attrs["class"] = "form-select"

    def clean_phone(self):
        phone = " ".join(self.cleaned_data["phone"].split())
        if phone and not _PHONE.fullmatch(phone):
            raise forms.ValidationError(
                _("Write the phone number in digits, e.g. 13800000000 or 0532-86000000.")
            )
        return phone

    def clean(self):
        data = super().clean()
        if not (data.get("lon") or "").strip() or not (data.get("lat") or "").strip():
            self.add_error(
                "lon", _("Give the place: use your phone's location or tap the map where it is.")
            )
        data["coordinate_system"] = data.get("coordinate_system") or CoordinateSystem.WGS84
        return data

    @property
    def chosen_category(self):
        return self.categories.get(self.cleaned_data.get("category") or "")

    def seen_numbers(self):
        return {n.strip().upper() for n in (self.cleaned_data.get("seen") or "").split(",")}

    def kept_digests(self):
        return read_kept(self.cleaned_data.get("kept"))


class SupportForm(forms.Form):
    """ "Me too" for an open case the page showed near the place given."""

    case = forms.CharField(max_length=20)
    category = forms.CharField(max_length=64)
    lon = forms.CharField(max_length=32)
    lat = forms.CharField(max_length=32)
    coordinate_system = forms.ChoiceField(required=False, choices=CoordinateSystem.choices)


class TrackForm(forms.Form):
    """A tracking code, as typed: spaces and small letters are forgiven."""

    code = forms.CharField(
        label=_("Tracking code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "class": "form-control form-control-lg vg-code-input",
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
            }
        ),
    )

    def clean_code(self):
        code = normal_code(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(
                _("A tracking code is {n} letters and digits, as shown when you reported.").format(
                    n=TRACKING_LENGTH
                )
            )
        return code


def normal_code(text):
    """A tracking code as stored (capitals, no spaces or dashes), or None if it cannot be one."""
    code = re.sub(r"[\s\-]", "", text or "").upper()
    if len(code) != TRACKING_LENGTH or any(c not in TRACKING_ALPHABET for c in code):
        return None
    return code


class FeedbackForm(CleanForm):
    """The reporter's word on a closed case: fixed, or not fixed and what is still wrong."""

    fixed = forms.TypedChoiceField(
        choices=[("1", _("Fixed")), ("0", _("Not fixed"))], coerce=lambda v: v == "1"
    )
    note = forms.CharField(
        label=_("What is still wrong"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500, "class": "form-control"}),
    )
