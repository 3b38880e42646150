"""A check run by every ``vanguard`` command: the photos' originals are not in a served folder.

The originals keep where and when a photo was taken; they leave only through a view
that checks who asks. Kept under ``MEDIA_ROOT`` or ``STATIC_ROOT`` they would be one
proxy rule away from the public.
"""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, register


def _inside(folder, parent):
    folder, parent = Path(folder).resolve(), Path(parent).resolve()
    return folder == parent or parent in folder.parents


@register(Tags.security)
def check_evidence_root(app_configs=None, **kwargs):
    """Refuse an EVIDENCE_ROOT inside MEDIA_ROOT or STATIC_ROOT."""
    for name in ("MEDIA_ROOT", "STATIC_ROOT"):
        served = getattr(settings, name, None)
        if served and _inside(settings.EVIDENCE_ROOT, served):
            return [
                Error(
                    "照片原图目录位于 {name} 之内 / EVIDENCE_ROOT is inside {name}.".format(
                        name=name
                    ),
                    hint="EVIDENCE_ROOT=/var/lib/vanguard/evidence (outside every served folder)",
                    id="vanguard.E009",
                )
            ]
    return []
