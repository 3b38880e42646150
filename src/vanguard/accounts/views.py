"""The login page, and the page where everyone changes their own password."""

from django.contrib import messages
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from vanguard.accounts.actions import do_change_own_password
from vanguard.accounts.middleware import SESSION_KEY


class LoginView(auth_views.LoginView):
    """The login page; a locked account or address gets 429 from the throttle instead."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@login_required
def password_change(request):
    """Change one's own password; a one-time password must be changed here first."""
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        # The account itself, not the request's lazy stand-in, goes into the change log.
        user = get_user_model().objects.get(pk=request.user.pk)
        do_change_own_password(user, form.cleaned_data["new_password1"])
        update_session_auth_hash(request, user)
        request.session.pop(SESSION_KEY, None)
        messages.success(request, _("Your password has been changed."))
        target = request.GET.get("next") or "/"
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = "/"
        return redirect(target)
    context = {"form": form, "must_change": bool(request.session.get(SESSION_KEY))}
    return render(request, "accounts/password_change.html", context, status=200)
