"""The unread count in the navigation."""

from vanguard.core.compiled import Compiled
from vanguard.org.access import may_read_notices


def _unread_of(user_id):
    from vanguard.notices.models import Notice

    return Notice.objects.filter(recipient_id=user_id, read_at__isnull=True).values_list("pk")


# Every page counts its reader's unread notices: the SQL is written once (a stand-in id).
_UNREAD = Compiled(_unread_of, -918273645, count=True)


def unread(request):
    """``unread_notices``: how many of the user's notices are unread (counted when shown)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not may_read_notices(user):
        return {}

    def count():
        return _UNREAD.number(user.pk)

    return {"unread_notices": count}
