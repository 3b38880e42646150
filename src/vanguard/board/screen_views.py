"""The display board (电子展板) at /board/screen/: for a signed-in reader of every unit, or
for a hall screen through its kiosk link (``?k=...``), which opens nothing else."""

import datetime

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from vanguard.board.screen_data import screen_data
from vanguard.board.screens import LinkRefused, link_for_key
from vanguard.maps.district import district
from vanguard.org.access import may_see_board
from vanguard.org.queries import current_campaign

# A screen's last visit is written at most this often.
SEEN_EVERY = datetime.timedelta(minutes=5)
# The fastest rotation and refresh a URL may ask for (the memory benchmark drives it so).
FASTEST = 0.2


def _seconds(request, name, default):
    try:
        value = float(request.GET.get(name, default))
    except ValueError:
        return default
    return max(value, FASTEST)


class _Refused(Exception):
    def __init__(self, message, status):
        self.message = message
        self.status = status


def _reader(request):
    """``(campaign, link)`` the request may show: by kiosk key, else by the signed-in user."""
    key = request.GET.get("k")
    if key:
        try:
            link = link_for_key(key)
        except LinkRefused as refused:
            raise _Refused(str(refused), 403) from refused
        now = timezone.now()
        if link.last_seen_at is None or now - link.last_seen_at > SEEN_EVERY:
            type(link).objects.filter(pk=link.pk).update(last_seen_at=now)
        return link.campaign, link
    if not request.user.is_authenticated:
        return None, None
    if not may_see_board(request.user):
        raise PermissionDenied
    return current_campaign(request.GET.get("campaign")), None


@never_cache
def screen(request):
    try:
        campaign, link = _reader(request)
    except _Refused as refused:
        return render(
            request,
            "board/screen_refused.html",
            {"message": refused.message},
            status=refused.status,
        )
    if campaign is None:
        return redirect("{}?next={}".format("/login/", request.path))
    context = {
        "campaign": campaign,
        "config": {
            "data_url": request.get_full_path().replace("/board/screen/", "/board/screen/data/", 1),
            "rotate": _seconds(request, "rotate", link.rotate_seconds if link else 20),
            "refresh": _seconds(request, "refresh", link.refresh_seconds if link else 60),
            "kiosk": link is not None,
        },
        "boundary": district(),
    }
    return render(request, "board/screen.html", context)


@never_cache
def screen_data_view(request):
    try:
        campaign, _link = _reader(request)
    except _Refused as refused:
        return JsonResponse({"detail": refused.message}, status=refused.status)
    if campaign is None:
        return JsonResponse({"detail": "login required"}, status=401)
    return JsonResponse(screen_data(campaign), json_dumps_params={"ensure_ascii": False})
