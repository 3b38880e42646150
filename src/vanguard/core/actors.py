"""The system as an actor: what the platform does with no person behind it.

Every action takes ``actor``: the user at a door (a page, the API, a workbook), or
``SYSTEM`` for the command line, the demo, a plan load and scheduled jobs. ``None`` is
not an actor: every action refuses it, so a door that lost its user is refused rather
than let through as the system. The change log names SYSTEM "system".
"""


class _System:
    """The platform acting on its own: no account, passes every access rule."""

    pk = None
    id = None
    is_authenticated = True
    is_active = True
    is_anonymous = False
    is_superuser = False
    username = "system"

    def get_username(self):
        return self.username

    def __str__(self):
        return self.username

    def __repr__(self):
        return "SYSTEM"

    def __reduce__(self):
        # Pickled (a job's arguments) as a reference to the one instance.
        return "SYSTEM"


SYSTEM = _System()


def user_of(actor):
    """The account to store as who did something: ``actor``, or None for the system."""
    return None if actor is SYSTEM else actor
