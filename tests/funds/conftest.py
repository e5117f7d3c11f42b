"""Case-funds fixtures: a custody account for 天河, a case with money, a running sandbox custody bank."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache

from tests import factories
from zhixing.core import partner_protocol as pp
from zhixing.funds import services
from zhixing.funds.services import faults, inbox
from zhixing.funds.services.accounts import forget_custody_cache

NOTICE_PATH = "/api/v1/funds/bank/notices"
BATCH_PATH = "/api/v1/funds/bank/notices/batch"


@pytest.fixture(autouse=True)
def _disarm_faults() -> Iterator[None]:
    faults.disarm()
    yield
    faults.disarm()


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    # Throttle counters live in the cache and are keyed by row ids, which tests reuse.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_custody_cache() -> Iterator[None]:
    # Each test has its own database rows: never reuse custody accounts cached by an earlier test.
    forget_custody_cache()
    yield
    forget_custody_cache()


BANK_DAY = datetime(2026, 3, 10, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def bank_day() -> Iterator[None]:
    """Run on 2026-03-10 (clock ticking): bank notices value-dated that day are current.

    Bank notices are checked against the day the bank signed them, so tests that post notices dated
    2026-03-10 run on that day.
    """
    with time_machine.travel(BANK_DAY, tick=True):
        yield


@pytest.fixture
def custody(courts: dict[str, Any]) -> Any:
    services.set_custody_account(
        None,
        courts["th"],
        bank_name="沙箱托管银行",
        account_name="广州市天河区人民法院",
        account_no="44001000106",
        sub_prefix="880106",
    )
    services.set_custody_account(
        None,
        courts["yx"],
        bank_name="沙箱托管银行",
        account_name="广州市越秀区人民法院",
        account_no="44001000104",
        sub_prefix="880104",
    )
    return courts["th"].custody_account


@pytest.fixture
def case(people: dict[str, Any], custody: Any) -> Any:
    c = factories.case(people["clerk"])
    return c


def receive(case: Any, amount: str, txn: str, on: date = date(2026, 3, 10)) -> Any:
    acc = services.case_account(case)
    return services.book_incoming(
        services.Incoming(txn_id=txn, amount=amount, value_date=on, to_account=acc.number, payer_name="张三"),
        source="notice",
    )


def signed_post(
    client: Any,
    payload: dict[str, Any],
    key: str,
    secret: str = "dev-custody-secret",
    path: str = "",
    book: bool = True,
) -> Any:
    path = path or NOTICE_PATH
    body = pp.encode_body(payload)
    headers = pp.sign_headers("custody-bank", secret, "POST", path, body, key)
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items() if k != "Content-Type"}
    resp = client.post(path, data=body, content_type="application/json", **extra)
    if path == NOTICE_PATH and book:
        # The notice is acknowledged once in the inbox; the booker runs after commit, which a test
        # inside one transaction never reaches: book it here, as the kicked task would.
        inbox.drain_all()
    return resp


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class BankServer:
    def __init__(self) -> None:
        import uvicorn

        from zhixing.partners.sandbox.custody_bank import CustodyBankApp

        self.app = CustodyBankApp()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(
            uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="error", lifespan="off")
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> BankServer:
        self.thread.start()
        for _ in range(200):
            if self.server.started:
                return self
            time.sleep(0.02)
        raise RuntimeError("sandbox bank did not start")

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=5)


@pytest.fixture
def bank(settings: Any) -> Iterator[BankServer]:
    srv = BankServer().start()
    settings.FUNDS_BANK_URL = srv.url
    # The bank holds the money the ledger says it holds: seed a large opening deposit.
    srv.app.bank.add_transfer({"amount": "100000000.00", "txn_id": "OPENING", "memo": "期初"})
    srv.app.bank.transfers["OPENING"]["delivered"] = True
    yield srv
    srv.stop()
