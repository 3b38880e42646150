"""Making, checking and revoking the display board's kiosk links.

A link's key is ``signing.dumps({"s": id, "n": nonce})`` under its own salt: it cannot be
forged without the site's key, and it is worthless once the screen's nonce changes
(revoked, or issued anew) or its expiry passes.
"""

import datetime

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from vanguard.audit.log import record_change
from vanguard.board.models import ScreenLink, new_nonce
from vanguard.org import access

SALT = "vanguard.board.screen"


class LinkRefused(Exception):
    """A kiosk key that is malformed, forged, revoked or expired; the message says which."""


def key_of(link):
    return signing.dumps({"s": link.pk, "n": link.nonce}, salt=SALT, compress=True)


def url_of(link):
    return "{}{}?k={}".format(settings.SITE_URL, reverse("board:screen"), key_of(link))


def link_for_key(key, now=None):
    """The usable link ``key`` opens, or ``LinkRefused`` saying why not."""
    try:
        data = signing.loads(key, salt=SALT)
    except signing.BadSignature as error:
        raise LinkRefused(_("This display link is not valid.")) from error
    link = ScreenLink.objects.select_related("campaign").filter(pk=data.get("s")).first()
    if link is None or link.nonce != data.get("n"):
        raise LinkRefused(_("This display link has been revoked."))
    now = now or timezone.now()
    if link.revoked_at is not None:
        raise LinkRefused(_("This display link has been revoked."))
    if link.expires_at is not None and link.expires_at <= now:
        raise LinkRefused(_("This display link has expired."))
    return link


@transaction.atomic
def do_issue_link(name, campaign, *, actor, days=None, rotate=None, refresh=None):
    """A new link for screen ``name`` (any earlier link of that screen stops working)."""
    access.require(access.may_manage_screens(actor), _("Only the office issues display links."))
    link = ScreenLink.objects.select_for_update().filter(name=name).first()
    before = None
    if link is None:
        link = ScreenLink(name=name, campaign=campaign)
    else:
        before = {"campaign": link.campaign.code, "revoked": link.revoked_at is not None}
        link.campaign = campaign
        link.nonce = new_nonce()
        link.revoked_at = None
    link.created_at = timezone.now()
    link.created_by = actor if getattr(actor, "pk", None) else None
    link.expires_at = link.created_at + datetime.timedelta(days=days) if days else None
    if rotate:
        link.rotate_seconds = rotate
    if refresh:
        link.refresh_seconds = refresh
    link.save()
    record_change(
        link,
        "issue",
        actor=actor,
        before=before,
        after={"campaign": campaign.code, "expires": str(link.expires_at or "")},
    )
    return link


@transaction.atomic
def do_revoke_link(name, *, actor):
    access.require(access.may_manage_screens(actor), _("Only the office revokes display links."))
    link = ScreenLink.objects.select_for_update().filter(name=name).first()
    if link is None:
        raise LinkRefused(_("There is no display link for the screen %(name)s.") % {"name": name})
    link.revoked_at = timezone.now()
    link.nonce = new_nonce()
    link.save(update_fields=["revoked_at", "nonce"])
    record_change(link, "revoke", actor=actor, before={"revoked": False}, after={"revoked": True})
    return link
