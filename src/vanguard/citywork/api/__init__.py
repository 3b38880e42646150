"""API of the third battle's weekly work: renewal projects, city campaigns, zones and roads.

Everything goes through ``org.access``: a thing the caller may not see is 404; one they
see but may not change is 403 with the rule's words. A change names the version it read
(``version`` in the body or ``If-Match``); a stale one, or a report verified by someone
else first, answers 409 Conflict saying who.
"""

from ninja import Router

router = Router(tags=["city work"])

# Each module adds its operations to ``router``.
from vanguard.citywork.api import (  # noqa: E402, F401
    campaigns,
    cases,
    patrols,
    places,
    renewal,
    summary,
    volunteers,
)
