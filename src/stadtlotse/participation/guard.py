"""Spam defence without third parties: rate limits, a honeypot field and a minimum fill time.

Rate limits count hits per fixed time window in Django's cache (LocMem by default, shared
Redis/Memcached in a multi-process setup). IP addresses are hashed before they become cache
keys and are never stored in the database.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Limit:
    scope: str
    limit: int
    window: int  # seconds


# Per account and per IP address; an IP is shared by households and offices, so it gets more.
LIMITS = {
    "post-user": Limit("post-user", 10, 600),
    "post-ip": Limit("post-ip", 30, 600),
    "support-user": Limit("support-user", 60, 600),
    "report-user": Limit("report-user", 10, 3600),
    "register-ip": Limit("register-ip", 5, 3600),
}
MIN_FILL_SECONDS = 3
MAX_FORM_AGE = 24 * 3600
HONEYPOT_FIELD = "homepage"
STAMP_FIELD = "form_stamp"


class RateLimited(Exception):
    """Too many actions in a short time; the view answers 429."""

    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        super().__init__(_("You have done this too often in a short time. Please wait %(minutes)d minutes.")
                         % {"minutes": max(1, round(retry_after / 60))})  # fmt: skip


def ip_of(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _hash(value: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:{value}".encode()).hexdigest()[:24]


def hit(name: str, ident: str) -> None:
    """Count one action of ``ident`` (a user id or an IP); raise RateLimited over the limit."""
    limit = LIMITS[name]
    now = time.time()
    bucket = int(now // limit.window)
    key = f"sl-participation:{limit.scope}:{_hash(ident)}:{bucket}"
    cache.add(key, 0, limit.window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, limit.window + 5)
        count = 1
    if count > limit.limit:
        raise RateLimited(int((bucket + 1) * limit.window - now) + 1)


def check_posting(request) -> None:
    """Rate limits for writing a comment, reply or idea: per account and per IP."""
    if request.user.is_authenticated:
        hit("post-user", f"user:{request.user.pk}")
    hit("post-ip", ip_of(request))


def new_stamp() -> str:
    """A signed time stamp for a form, checked on submission."""
    return signing.TimestampSigner(salt="participation-form").sign(str(int(time.time())))


def spam_error(data) -> str | None:
    """Why a submitted form looks automated, or None: a filled honeypot, a missing or forged
    stamp, a form sent faster than a person can fill it, or an outdated form."""
    if data.get(HONEYPOT_FIELD):
        return _("Your message could not be accepted. Please leave the field 'Leave empty' empty.")
    try:
        issued = int(signing.TimestampSigner(salt="participation-form").unsign(
            data.get(STAMP_FIELD, ""), max_age=MAX_FORM_AGE))  # fmt: skip
    except (signing.BadSignature, ValueError):
        return _("The form has expired. Please reload the page and send it again.")
    if time.time() - issued < MIN_FILL_SECONDS:
        return _("That was very fast. Please check your entry and send it again.")
    return None
