"""Which addresses a group robot may post to: http(s) only, and no private or local host.

A webhook is an address the office types in and the server then calls: left open, it
would let anyone who may configure a robot make the server probe the intranet (SSRF). A
private, loopback, link-local or reserved address is refused unless the operator lists
the host in ``NOTICE_WEBHOOK_ALLOW_HOSTS``. The check runs when a robot is saved and
again before each post, since a name may resolve elsewhere later.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def _allowed(host):
    allowed = {h.strip().lower() for h in getattr(settings, "NOTICE_WEBHOOK_ALLOW_HOSTS", [])}
    return host.lower() in allowed


def _addresses(host):
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return None
    return [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]


def _private(address):
    return (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_reserved
        or address.is_multicast
        or address.is_unspecified
    )


def check_webhook_url(url, *, resolve=True):
    """Raise ValidationError (in Chinese, naming the field) unless ``url`` may be posted to.

    A name that does not resolve now is let through when saving (an intranet may resolve
    it only from the server's network) and refused when posting (``resolve`` there).
    """
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(
            {
                "url": _(
                    "The robot's address must be an http:// or https:// address: {url}"
                ).format(url=url[:100] or "—")
            }
        )
    host = parts.hostname
    if _allowed(host):
        return url
    if host.lower() == "localhost" or host.lower().endswith(".localhost"):
        raise ValidationError({"url": _private_message(host, "127.0.0.1")})
    addresses = _addresses(host)
    if addresses is None:
        if resolve:
            raise ValidationError(
                {"url": _("The robot's host {host} cannot be found.").format(host=host)}
            )
        return url
    for address in addresses:
        if _private(address) and not _allowed(str(address)):
            raise ValidationError({"url": _private_message(host, address)})
    return url


def _private_message(host, address):
    return _(
        "The robot's address {host} points at a private or local address ({address}); "
        "only the operator may allow it (NOTICE_WEBHOOK_ALLOW_HOSTS)."
    ).format(host=host, address=address)
