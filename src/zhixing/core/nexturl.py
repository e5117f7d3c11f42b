"""Where a form may send the user afterwards (`next=`): a path on this site, never another host.

Every view that honours a `next` parameter goes through `safe_next`, so an action form cannot be
turned into an open redirect (a link to the platform that lands on a look-alike login page).
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def is_same_site_path(target: str) -> bool:
    """Whether `target` is a path on this site ("/cases/1/"), with no scheme or host of its own."""
    return (
        target.startswith("/")
        and not any(ord(ch) < 32 or ord(ch) == 127 for ch in target)
        and url_has_allowed_host_and_scheme(target, allowed_hosts=None)
    )


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The request's `next` (POST, then GET) when it is a same-site path, else `fallback`."""
    target = str(request.POST.get("next") or request.GET.get("next") or "")
    return target if is_same_site_path(target) else fallback
