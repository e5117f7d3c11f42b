"""Art 8 notices delivered to the sandbox's recipients over real HTTP, signed, and acknowledged back.

The sandbox runs as its own process (it knows only the protocol). Time is real in this module: both
sides check the signature's timestamp, and the sandbox process is not frozen.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from zhixing.credit import services
from zhixing.credit.models import ListingNotice
from zhixing.credit.services import notices

from .art8_fake import recipient
from .conftest import debtor, debtor_case, listing_data
from .media_sandbox import MediaBox


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    """Real time here (overrides the package's frozen clock): signatures carry timestamps."""
    yield


@pytest.fixture
def art8_box(box: MediaBox, settings: Any) -> MediaBox:
    settings.ZHIXING_CREDIT_NOTICES = {"backoff_base": 0, "http_timeout": 15, "max_attempts": 3}
    return box


@pytest.mark.django_db(transaction=True)
def test_round_trip_with_acknowledgement(
    people: dict, art8_box: MediaBox, settings: Any, live_server: Any
) -> None:
    settings.ZHIXING_PLATFORM_URL = live_server.url
    recipient("PBOC-CRC")
    emp = recipient("EMP-GZTAX")
    c = debtor_case(people["clerk"])
    notices.record_profile(people["clerk"], c, debtor(c), state_functionary=True, employer=emp)
    x = services.list_debtor(people["judge"], c, debtor(c), listing_data())
    notices.dispatch_due()  # (a slow answer on a loaded machine is retried under the same key)
    got = {
        n.recipient.code: n.status
        for n in ListingNotice.objects.filter(listing=x).select_related("recipient")
    }
    assert got["PBOC-CRC"] == "acknowledged" and got["EMP-GZTAX"] in ("sent", "acknowledged")
    state = art8_box.call("/_sandbox/art8")
    assert sorted(rec["partner"] for rec in state["records"]) == ["EMP-GZTAX", "PBOC-CRC"]
    art8_box.call("/_sandbox/art8/ack", {})  # the delayed acknowledgement may have gone already
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if ListingNotice.objects.get(listing=x, recipient=emp).status == "acknowledged":
            break
        time.sleep(0.2)
    n = ListingNotice.objects.get(listing=x, recipient=emp)
    assert (n.status, n.partner_ref.startswith("EMP-GZTAX-")) == ("acknowledged", True)


@pytest.mark.django_db
def test_unavailable_recipient_is_retried_and_acts_once(people: dict, art8_box: MediaBox) -> None:
    recipient("PBOC-CRC")
    art8_box.configure("PBOC-CRC", fail_first=2)
    c = debtor_case(people["clerk"])
    x = services.list_debtor(people["judge"], c, debtor(c), listing_data())
    notices.dispatch_due()
    n = ListingNotice.objects.get(listing=x)
    assert (n.status, n.attempts) == ("acknowledged", 3)
    assert art8_box.call("/_sandbox/art8")["executions"] == {n.idempotency_key: 1}
