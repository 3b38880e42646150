"""The base of the project's forms, and the login form with a lockout after repeated failures."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from vanguard.core import security
from vanguard.core.text import clean_text


class CleanForm(forms.Form):
    """A form whose text arrives without control characters (a Shift+Enter from Word)."""

    def clean(self):
        data = super().clean()
        for name, value in data.items():
            if isinstance(value, str):
                data[name] = clean_text(value)
        return data


class LockoutAuthenticationForm(AuthenticationForm):
    """Refuses a locked account before checking its password; counts each failure."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _(
            "Too many failed logins for this account. It is locked for %(minutes)s minutes."
        ),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if username and security.is_locked(username):
            raise forms.ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"minutes": settings.LOGIN_LOCKOUT_MINUTES},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if username:
                security.note_failure(username, _client_ip(self.request))
                if security.is_locked(username):
                    raise forms.ValidationError(
                        self.error_messages["locked"],
                        code="locked",
                        params={"minutes": settings.LOGIN_LOCKOUT_MINUTES},
                    ) from None
            raise
        security.clear_failures(username)
        return cleaned


def _client_ip(request):
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None
