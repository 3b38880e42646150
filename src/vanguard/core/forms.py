"""The base of the project's forms.

The login form is Django's own: django-axes refuses a locked account in the
authentication backend (see vanguard.accounts.throttle).
"""

from django import forms

from vanguard.core.text import clean_text


class CleanForm(forms.Form):
    """A form whose text arrives without control characters (a Shift+Enter from Word)."""

    def clean(self):
        data = super().clean()
        for name, value in data.items():
            if isinstance(value, str):
                data[name] = clean_text(value)
        return data
