"""The soak's control-order workload (benchmarks/cluster_soak.py): a judge freezes debtors' accounts the
way he does in the browser, and every freeze the platform accepted is checked to exist exactly once.

The judge (th_judge1) works through the open cases of his court (`GET /api/v1/cases`, his token:
registered, in progress, suspended; listed again every 15 s, so the soak's own filings join) and opens
each case's inquiry page (`/inquiry/cases/{id}/`, his browser session). The page says what may be
frozen: the case's remaining headroom (`尚可控制额度`, `#headroom`) and, per account, a freeze form
whose amount field offers what the headroom and the account's balance still allow (empty when nothing
is left; no form while an order on the account is in flight). He leaves a case whose headroom is 0
(over-controlled: the demo seizes houses worth more than the claim); on a case with headroom but no
freezable account he starts one inquiry round for deposit and online-payment accounts
(`POST /api/v1/inquiry/cases/{id}/inquiries`; at most 4 cases await theirs) and looks again every 3 s,
leaving it 90 s after the round if it still offers nothing. His first look at every case is made
before the load (`prepare`), so those rounds are answered while the consumers are still idle.

On a freezable account he posts the freeze form (100.00, or the offer when smaller; session and CSRF
token) and reads the page the form redirects to: the refusal beside the field (`freeze-error-{asset}`,
or the page's error message) is counted by its text; an accepted order shows as the account's pending
request (`pending-{asset}`, `请求#{id}`), which is the freeze's identity. The director approves it with
his token (`POST /api/v1/inquiry/requests/{id}/approve`); a consumer sends it and the sandbox bank's
answer freezes the money. An account is ordered again once its order is answered.

A form post has no idempotency key: one retried after a 5xx or a dropped connection (the killed worker,
the Redis restart) whose first attempt committed is refused `该财产已有尚未办结的控制请求`, and the page
shows that order in flight where the form was: the client takes it as its own (its amount must match).

Check, once settled (every accepted order answered): each accepted freeze is exactly one request (its
id, account and amount as accepted), answered (`done`, or `failed` when the bank refused it), with one
`inquiry.freeze.request` record, one director approval and one `inquiry.freeze.result` record whose
frozen amount moved by what the bank froze (the answer applied once); no other freeze request on the
accounts ordered (a post whose every attempt failed may have made one; a partial freeze's remainder
order carries its parent); every account's frozen amount is its last applied answer's. The leg fails
when it made no freeze at all, printing its refusals and skipped pages by reason.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import requests
from soak_workloads import Soak, Workload, sign_in

AMOUNT = Decimal("100.00")
ROUNDS_IN_FLIGHT = 4  # cases at most awaiting the inquiry round the judge started on them
ROUND_PATIENCE = 90.0  # seconds after which a case whose round found no freezable account is left
IN_FLIGHT_REFUSAL = "该财产已有尚未办结的控制请求"
ROW = re.compile(r'<tr id="asset-(\d+)" data-state="(\w+)"(.*?)</tr>', re.S)
FROZEN = re.compile(r'data-testid="frozen-\d+">([\d,.]+)<')
OFFER = re.compile(r'id="freeze-form-\d+".*?data-testid="freeze-amount-\d+"(?: value="([\d.]*)")?', re.S)
HEADROOM = re.compile(r'id="headroom">([\d,.]+)')
ERROR_MESSAGE = re.compile(r'class="msg error">([^<]*)<')


def money(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


@dataclass
class Page:
    """What a case's inquiry page offers: the headroom, and per account the freeze form's offer."""

    headroom: Decimal
    offers: dict[int, Decimal]  # asset → amount the freeze form offers (> 0)
    frozen: dict[int, Decimal]  # asset → frozen amount shown


def read_page(html: str) -> Page:
    room = HEADROOM.search(html)
    offers: dict[int, Decimal] = {}
    frozen: dict[int, Decimal] = {}
    for m in ROW.finditer(html):
        asset, body = int(m.group(1)), m.group(3)
        if f := FROZEN.search(body):
            frozen[asset] = money(f.group(1))
        offer = OFFER.search(body)
        if offer and offer.group(1) and Decimal(offer.group(1)) > 0:
            offers[asset] = Decimal(offer.group(1))
    return Page(money(room.group(1)) if room else Decimal(0), offers, frozen)


def pending_request(html: str, asset: int) -> tuple[int, Decimal | None] | None:
    """The account's order in flight as the register shows it: (request id, amount)."""
    m = re.search(rf'data-testid="pending-{asset}">(.*?)请求#(\d+)', html, re.S)
    if m is None:
        return None
    amount = re.search(r"([\d,]+\.\d\d)元", m.group(1))
    return int(m.group(2)), money(amount.group(1)) if amount else None


def refusal(html: str, asset: int) -> str | None:
    """The refusal the page shows for the account's freeze form (beside the field, or as a message)."""
    m = re.search(rf'data-testid="freeze-error-{asset}"[^>]*>([^<]*)<', html) or ERROR_MESSAGE.search(html)
    return m.group(1).strip() if m else None


@dataclass
class Freeze:
    """A freeze the platform accepted: its request id is its identity."""

    request: int
    case: int
    asset: int
    amount: Decimal
    retried: bool  # the form post was retried: maybe its first attempt's order, read back from the page


@dataclass
class Controls(Workload):
    accepted: list[Freeze] = field(default_factory=list)
    refused: Counter[str] = field(default_factory=Counter)  # refusal text → count
    skipped: Counter[str] = field(default_factory=Counter)  # why a page offered nothing → count
    approval_refused: Counter[str] = field(default_factory=Counter)
    unapproved: set[int] = field(default_factory=set)  # accepted freezes whose approval was refused
    lost_posts: Counter[int] = field(default_factory=Counter)  # asset → posts without any answer
    rounds: dict[int, int] = field(default_factory=dict)  # case → inquiry batch the judge started
    offered: set[int] = field(default_factory=set)  # cases that offered a freeze at some look
    awaiting: set[int] = field(default_factory=set)  # cases whose round has not yet offered a freeze
    round_at: dict[int, float] = field(default_factory=dict)  # case → when the judge started its round
    looked: dict[int, float] = field(default_factory=dict)  # case awaiting its round → last look
    turn: int = 0

    def prepare(self, soak: Soak) -> None:
        self.judge = soak.token("th_judge1")
        self.director = soak.token("th_director")
        self.browser = sign_in(soak.base, "th_judge1")
        self.active: list[int] = []  # cases that offered a freeze, or await the judge's inquiry round
        self.unexplored: list[int] = []
        self.known: set[int] = set()
        self.listed_at = 0.0
        self.refresh(soak)
        self.listed_at -= 5  # the soak's first filings are listed 10 s after the start
        assert self.unexplored, "no open case at th_judge1's court"
        # The morning look, before the load: the rounds it starts are answered while the consumers are
        # still idle (under the load their answers queue behind thousands of bank-notice bookings).
        for case in list(self.unexplored):
            self.unexplored.remove(case)
            self.visit(soak, case, freeze=False)
        self.mark = soak.sql("SELECT COALESCE(max(id), 0) FROM inquiry_inquiryrequest")[0][0]

    def refresh(self, soak: Soak) -> None:
        """The judge's open cases (`GET /api/v1/cases`, oldest first), the new ones (the soak's own
        filings among them) added to those still to look at."""
        self.listed_at = time.monotonic()
        found: list[int] = []
        for status in ("registered", "in_progress", "suspended"):
            cursor = ""
            while True:
                answer = soak.record.call(
                    "case list (API)",
                    lambda status=status, cursor=cursor: requests.get(
                        f"{soak.base}/api/v1/cases",
                        params={"status": status, "size": 200, "cursor": cursor},
                        headers=self.judge,
                        timeout=60,
                    ),
                )
                if answer is None or answer.status_code != 200:
                    if answer is not None:
                        self.odd("case list", answer)
                    break
                body = answer.json()
                found += [c["id"] for c in body["items"]]
                cursor = body.get("next_cursor") or ""
                if not cursor:
                    break
        new = sorted(set(found) - self.known)
        self.known |= set(new)
        self.unexplored += new

    # -- the judge's round ---------------------------------------------------------------------------

    def next_case(self, soak: Soak) -> int | None:
        """Mostly the cases that offered a freeze, every fourth look (or when none does) a case awaiting
        the judge's inquiry round (one look per 3 s) or a new one; the case list again after 15 s."""
        self.turn += 1
        now = time.monotonic()
        offering = [c for c in self.active if c not in self.awaiting]
        due = [c for c in self.awaiting if now - self.looked.get(c, 0.0) > 3]
        if offering and (self.turn % 4 or not (due or self.unexplored or self.may_refresh())):
            return offering[self.turn % len(offering)]
        if due:
            return due[0]
        if not self.unexplored and self.may_refresh():
            self.refresh(soak)
        if self.unexplored:
            return self.unexplored.pop(0)
        return offering[self.turn % len(offering)] if offering else None

    def may_refresh(self) -> bool:
        return time.monotonic() - self.listed_at > 15

    def loop(self, soak: Soak) -> None:
        while not soak.stop.is_set():
            case = self.next_case(soak)
            if case is None or self.visit(soak, case) == "idle":
                soak.stop.wait(0.5)

    def visit(self, soak: Soak, case: int, *, freeze: bool = True) -> str:
        """One look at a case's inquiry page and at most one freeze: `froze`, `explored` (a new case
        left or its round started) or `idle` (nothing to do there now)."""
        url = f"{soak.base}/inquiry/cases/{case}/"
        answer = soak.record.call("inquiry page (browser)", lambda: self.browser.get(url, timeout=60))
        if answer is None or answer.status_code != 200:
            if answer is not None:
                self.odd("inquiry page", answer)
            return "idle"
        page = read_page(answer.text)
        if page.headroom <= 0:
            self.skipped["尚可控制额度为0（已控制财产足以清偿）"] += 1
            self.leave(case)  # a judge does not come back to an over-controlled case
            return "explored"
        if not page.offers:
            if case in self.awaiting:
                self.looked[case] = time.monotonic()
                if time.monotonic() - self.round_at[case] > ROUND_PATIENCE:
                    self.skipped["查控后仍无可冻结账户"] += 1
                    self.leave(case)
            elif case in self.offered:  # every account's order in flight, or the room used up
                self.skipped["账户均在办理中或额度已用尽"] += 1
            elif len(self.awaiting) >= ROUNDS_IN_FLIGHT:
                self.unexplored.append(case)  # later: enough rounds await their answers
            else:
                self.start_round(soak, case)
                return "explored"
            return "idle"
        if case not in self.active:
            self.active.append(case)
        self.awaiting.discard(case)
        self.offered.add(case)
        if not freeze:
            return "explored"
        mine = Counter(f.asset for f in self.accepted)
        asset = min(page.offers, key=lambda a: (mine[a], a))  # spread the orders over the accounts
        self.freeze(soak, case, asset, min(AMOUNT, page.offers[asset]))
        return "froze"

    def leave(self, case: int) -> None:
        self.awaiting.discard(case)
        if case in self.active:
            self.active.remove(case)

    def start_round(self, soak: Soak, case: int) -> None:
        answer = soak.record.call(
            "inquiry round start",
            lambda: requests.post(
                f"{soak.base}/api/v1/inquiry/cases/{case}/inquiries",
                json={"categories": ["deposit", "online_payment"]},
                headers=self.judge,
                timeout=60,
            ),
        )
        if answer is not None and answer.status_code == 201:
            self.rounds[case] = answer.json()["batch"]
            self.round_at[case] = self.looked[case] = time.monotonic()
            self.active.append(case)
            self.awaiting.add(case)
            self.skipped["有额度但未查得账户：已发起查控"] += 1
        elif answer is not None:
            self.odd("inquiry round (controls)", answer)

    def freeze(self, soak: Soak, case: int, asset: int, amount: Decimal) -> None:
        url = f"{soak.base}/inquiry/assets/{asset}/control/"
        tries = [0]

        def post() -> requests.Response:
            tries[0] += 1
            form = {
                "action": "freeze",
                "amount": f"{amount:.2f}",
                "reason": "压测冻结",
                "csrfmiddlewaretoken": self.browser.cookies.get("csrftoken", ""),
            }
            return self.browser.post(url, data=form, headers={"Referer": url}, timeout=60)

        answer = soak.record.call("freeze order (form)", post)
        if answer is None:
            with self.lock:
                self.lost_posts[asset] += 1
            return
        if answer.status_code != 200:
            self.refused[f"HTTP {answer.status_code}"] += 1
            if answer.status_code != 403:
                self.odd("freeze order", answer)
            return
        refused = refusal(answer.text, asset)
        pending = pending_request(answer.text, asset)
        # A retry whose first attempt committed is refused as in flight; the register shows the order in
        # flight instead of the form (so not always the refusal): the client takes it as its own.
        if refused and not (refused == IN_FLIGHT_REFUSAL and tries[0] > 1):
            self.refused[refused] += 1
            return
        if pending is None or pending[1] != amount:
            self.odd(f"freeze order (accepted? asset {asset}, tries {tries[0]})", answer)
            return
        freeze = Freeze(pending[0], case, asset, amount, retried=tries[0] > 1)
        with self.lock:
            self.accepted.append(freeze)
        self.approve(soak, freeze)

    def approve(self, soak: Soak, freeze: Freeze) -> None:
        tries = [0]

        def send() -> requests.Response:
            tries[0] += 1
            return requests.post(
                f"{soak.base}/api/v1/inquiry/requests/{freeze.request}/approve",
                headers=self.director,
                timeout=60,
            )

        answer = soak.record.call("freeze approval (API)", send)
        if answer is None or answer.status_code == 200:
            return
        if answer.status_code == 409 and tries[0] > 1:
            return  # the first attempt approved it
        if answer.status_code in (403, 409, 422):
            is_json = "json" in answer.headers.get("content-type", "")
            detail = answer.json().get("detail", "") if is_json else ""
            with self.lock:
                self.approval_refused[detail or f"HTTP {answer.status_code}"] += 1
                self.unapproved.add(freeze.request)
        else:
            self.odd("freeze approval", answer)

    # -- after the load ------------------------------------------------------------------------------

    def touched(self) -> list[int]:
        return sorted({f.asset for f in self.accepted} | set(self.lost_posts))

    def requests_on(self, soak: Soak) -> list[tuple[Any, ...]]:
        """Every freeze request since the start on the accounts ordered: (id, asset, amount, status,
        parent, outcome)."""
        return soak.sql(
            "SELECT id, asset_id, amount, status, parent_id, outcome FROM inquiry_inquiryrequest "
            "WHERE asset_id = ANY(%s) AND id > %s AND action = 'freeze' ORDER BY id",
            (self.touched(), self.mark),
        )

    def settled(self, soak: Soak) -> bool:
        for req, _asset, _amount, status, _parent, _outcome in self.requests_on(soak):
            if status not in ("done", "failed") and not (
                status == "awaiting_approval" and req in self.unapproved
            ):
                return False
        return not soak.sql(
            "SELECT count(*) FROM inquiry_inquiryrequest WHERE batch_id = ANY(%s) "
            "AND status IN ('pending', 'sending', 'waiting')",
            (list(self.rounds.values()),),
        )[0][0]

    def check(self, soak: Soak) -> list[str]:
        problems = self.unexpected_problems("freeze orders")
        rows = {r[0]: r for r in self.requests_on(soak)}
        ids = [f.request for f in self.accepted]
        audits: dict[tuple[str, int], int] = {}
        results: dict[int, tuple[Any, Any]] = {}
        for action, obj, before, after in soak.sql(
            "SELECT action, object_id, before, after FROM core_auditrecord WHERE object_type = "
            "'InquiryRequest' AND object_id = ANY(%s) AND action IN "
            "('inquiry.freeze.request', 'inquiry.freeze.result', 'inquiry.approve') ORDER BY id",
            ([str(i) for i in rows],),
        ):
            audits[(action, int(obj))] = audits.get((action, int(obj)), 0) + 1
            if action == "inquiry.freeze.result":
                results[int(obj)] = (before, after)
        self.by_status = Counter(rows[i][3] for i in ids if i in rows)
        wrong: list[str] = []
        twice = [i for i, n in Counter(ids).items() if n > 1]
        if twice:
            wrong.append(f"accepted twice by the client {twice[:3]}")
        for f in self.accepted:
            row = rows.get(f.request)
            if row is None or (row[1], row[2]) != (f.asset, f.amount) or row[4] is not None:
                wrong.append(f"#{f.request}: not the request accepted ({row})")
                continue
            if (n := audits.get(("inquiry.freeze.request", f.request), 0)) != 1:
                wrong.append(f"#{f.request}: {n} request records")
            if row[3] == "awaiting_approval" and f.request in self.unapproved:
                continue  # its approval was refused (counted in the summary)
            if (n := audits.get(("inquiry.approve", f.request), 0)) != 1:
                wrong.append(f"#{f.request}: {n} approvals")
            if row[3] not in ("done", "failed"):  # failed: the bank refused it, answered all the same
                wrong.append(f"#{f.request}: {row[3]}")
        # Every answer applied once: one result record each, moving the frozen amount by what was frozen.
        self.frozen_total = Decimal(0)
        for req, row in rows.items():
            if row[3] not in ("done", "failed"):
                continue
            n = audits.get(("inquiry.freeze.result", req), 0)
            if n != 1:
                wrong.append(f"#{req}: answer applied {n} times")
                continue
            before, after = results[req]
            got = Decimal(str((row[5] or {}).get("frozen") or "0"))
            if Decimal(str(after["frozen"])) - Decimal(str(before["frozen"])) != got:
                wrong.append(f"#{req}: frozen {before['frozen']} → {after['frozen']} for an answer of {got}")
            self.frozen_total += got
        # No other freeze on these accounts: a post without any answer may have made one, once.
        extra = Counter(row[1] for i, row in rows.items() if i not in set(ids) and row[4] is None)
        dup = {a: n for a, n in extra.items() if n > self.lost_posts.get(a, 0)}
        if dup:
            wrong.append(f"freeze requests nobody accepted (duplicated), by account {dup}")
        # Each account's frozen amount is its last applied answer's (nothing applied twice or lost).
        last: dict[int, Decimal] = {}
        for req, row in sorted(rows.items()):
            if req in results:
                last[row[1]] = Decimal(str(results[req][1]["frozen"]))
        for asset, frozen in soak.sql(
            "SELECT id, frozen_amount FROM inquiry_asset WHERE id = ANY(%s)", (list(last),)
        ):
            if frozen != last[asset]:
                wrong.append(f"account {asset}: frozen {frozen}, its last answer says {last[asset]}")
        self.accounts = len({f.asset for f in self.accepted})
        if wrong:
            problems.append(f"freeze orders: {len(wrong)} wrong, e.g. {wrong[:4]}")
        if not self.accepted:
            problems.append(
                f"freeze orders: no freeze made (the freeze leg exercised nothing); refused "
                f"{dict(self.refused)}; pages skipped {dict(self.skipped)}"
            )
        return problems

    def summary(self, soak: Soak) -> str:
        retried = sum(1 for f in self.accepted if f.retried)
        return (
            f"freezes made {len(self.accepted)} on {self.accounts} accounts in "
            f"{len({f.case for f in self.accepted})} cases (read back after a retried post {retried}); "
            f"by status {dict(self.by_status)}; frozen {self.frozen_total:.2f}; "
            f"refused {sum(self.refused.values())} {dict(self.refused)}; approvals refused "
            f"{dict(self.approval_refused)}; posts without answer {sum(self.lost_posts.values())}; "
            f"pages skipped {dict(self.skipped)}; inquiry rounds started {len(self.rounds)}"
        )
