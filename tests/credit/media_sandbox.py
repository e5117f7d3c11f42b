"""Helpers for the tests against the sandbox's media partners (the process itself: `box` in conftest).

Time is real where these are used: both sides check the signature's timestamp, and the sandbox process
is not frozen.
"""

from __future__ import annotations

import json
import urllib.request
from typing import Any

from zhixing.credit import services
from zhixing.credit.models import ExposureNotice, Listing, Partner
from zhixing.partners.sandbox.holdings import partner_secret

from .conftest import debtor, debtor_case, listing_data


class MediaBox:
    def __init__(self, url: str) -> None:
        self.url = url

    def call(self, path: str, data: Any = None) -> Any:
        body = None if data is None else json.dumps(data).encode()
        req = urllib.request.Request(self.url + path, data=body, method="POST" if body is not None else "GET")
        with urllib.request.urlopen(req, timeout=20) as resp:
            return json.loads(resp.read())

    def publications(self) -> list[dict[str, Any]]:
        return list(self.call("/_sandbox/media")["publications"])

    def executions(self) -> dict[str, int]:
        return dict(self.call("/_sandbox/media")["executions"])

    def configure(self, code: str, **behaviour: Any) -> None:
        self.call("/_sandbox/config", {code: behaviour})

    def tick(self, views: int) -> dict[str, int]:
        return dict(self.call("/_sandbox/media/tick", {"views": views}))


def media(code: str, area: str = "", **kw: Any) -> Partner:
    partner, _ = services.create_partner(
        None,
        name=kw.pop("name", code),
        kind="media",
        area_code=area,
        code=code,
        shared_secret=partner_secret(code),
    )
    return partner


def listed_case(people: dict, id_number: str | None = None) -> Listing:
    c = debtor_case(people["clerk"], **({"id_number": id_number} if id_number else {}))
    return services.list_debtor(people["judge"], c, debtor(c), listing_data())


def states(listing: Listing) -> dict[str, str]:
    return dict(ExposureNotice.objects.filter(listing=listing).values_list("partner__code", "status"))
