"""Failed sign-ins counted per client address, across usernames (password spraying).

django-axes locks a (username, address) pair after `AXES_FAILURE_LIMIT` failures: one address may still
try a few passwords on every username of the roster (five each, every cool-off), and the roster is
printed on the demo's login page. Here the failures of one address are counted whatever the username,
in the shared rate-limit store (one count for every worker): past `ZHIXING_LOGIN_ADDRESS_FAILURE_LIMIT`
in a window of `AXES_COOLOFF_TIME`, that address's sign-ins are refused (429) until the window ends,
correct password or not. The limit is well above the pair's, so a court's staff behind one address
(NAT) who mistype now and then are not locked out together.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from zhixing.core import ratelimit
from zhixing.core.clientaddr import client_address

SCOPE = "login-failures"
DEFAULT_LIMIT = 30


def _window() -> int:
    hours = float(getattr(settings, "AXES_COOLOFF_TIME", 0.25) or 0.25)
    return max(int(hours * 3600), 60)


def _limit() -> int:
    return int(getattr(settings, "ZHIXING_LOGIN_ADDRESS_FAILURE_LIMIT", DEFAULT_LIMIT))


def refused(request: HttpRequest) -> bool:
    """Whether this client's address has failed too often in the current window."""
    key = ratelimit.window_key(SCOPE, client_address(request) or "", _window())
    return int(ratelimit.store().get(key, 0) or 0) >= _limit()


def count_failure(request: HttpRequest) -> None:
    ratelimit.count_hit(SCOPE, client_address(request) or "", _window())
