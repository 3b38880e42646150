"""The unread count in the navigation."""

from vanguard.org.access import may_read_notices


def unread(request):
    """``unread_notices``: how many of the user's notices are unread (counted when shown)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not may_read_notices(user):
        return {}

    def count():
        from vanguard.notices.models import Notice

        return Notice.objects.filter(recipient=user, read_at__isnull=True).count()

    return {"unread_notices": count}
