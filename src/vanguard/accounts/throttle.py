"""The login throttle: django-axes counting by account-and-address and by address.

An account is locked only against the address its failures came from, so a password
sprayer cannot lock the district out and the owner still logs in from their own desk.
An address with too many failures on any accounts is stopped as a whole, which slows a
sprayer down without touching anyone elsewhere.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Sum
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

ACCOUNT = "account"
ADDRESS = "address"


def _total(attempts):
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class AccountAndAddressHandler(AxesDatabaseHandler):
    """Locks account+address after LOGIN_FAILURE_LIMIT, an address after its own limit."""

    def get_failures(self, request, credentials=None):
        # AXES_LOCKOUT_PARAMETERS lists account+address first, then the address alone.
        by_account, by_address = self.get_user_attempts(request, credentials)
        account_failures = _total(by_account)
        if _total(by_address) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            request.vg_locked_by = ADDRESS
            return max(account_failures, settings.LOGIN_FAILURE_LIMIT)
        request.vg_locked_by = ACCOUNT
        return account_failures

    def reset_user_attempts(self, request, credentials=None):
        """A successful login forgets that account's failures from that address only.

        Resetting the address as a whole would let a sprayer who holds one account wipe
        the count of everything else they tried from there.
        """
        by_account = self.filter_user_attempts(request, credentials)[0]
        deleted, _ = by_account.delete()
        return deleted


def client_address(request):
    """The address failures are counted against.

    ``REMOTE_ADDR``, or behind our own proxy (BEHIND_PROXY=1) the last entry of
    X-Forwarded-For, the one that proxy appended: entries before it come from the client
    and could be forged to dodge the count.
    """
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.split(",")[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR")


def lockout_message(request):
    """The Chinese (or English) sentence that says what is locked and for how long."""
    minutes = settings.LOGIN_LOCKOUT_MINUTES
    if request.path.startswith("/api/"):
        text = _(
            "Too many failed logins with this API token from this address. Try again in "
            "%(minutes)s minutes."
        )
    elif getattr(request, "vg_locked_by", ACCOUNT) == ADDRESS:
        text = _(
            "Too many failed logins from this address. Logins from it are paused for "
            "%(minutes)s minutes."
        )
    else:
        text = _(
            "Too many failed logins for this account from this address. It is locked here "
            "for %(minutes)s minutes; other addresses are not affected."
        )
    return text % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """429 with the login page and the message, or JSON under /api/."""
    message = lockout_message(request)
    if request.path.startswith("/api/"):
        return JsonResponse({"message": message}, status=429)
    username = get_client_username(request, credentials) or ""
    form = AuthenticationForm(request, initial={"username": username})
    context = {"form": form, "locked_message": message, "next": request.GET.get("next", "")}
    return render(request, "accounts/login.html", context, status=429)
