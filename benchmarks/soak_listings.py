"""The soak's credit-listing workload (benchmarks/cluster_soak.py): listing changes made through the staff
API as a court makes them, checked exactly once afterwards, with the screening answer of every touched
person read from every web worker.

The debtors: every person debtor of an open case at th_judge1's court whose enforcement notice with the
listing warning has been served (失信规定 Art 5(1)) and who has no listing proposal waiting. One thread
walks them in turn; for each it reads the case's listings (`GET /api/v1/credit/cases/{id}/listings`)
and then

* the debtor is listed: the judge removes the listing (`POST /credit/listings/{id}/remove`, trigger
  `wrongful` — revoked — or `early`, alternately; both apply to every ground);
* the debtor is not: the judge proposes a listing on ground 4 (违反财产报告制度;
  `POST /credit/cases/{id}/listings`, answered 202 with the proposal: the president signs, ADR 0015),
  the president approves it (`/credit/approvals/{id}/approve`, the listing is issued in that
  transaction), the judge records its service (`/credit/approvals/{id}/served`).

A step started is finished even when the load stops, so the client always knows what it changed. None
of these calls has an idempotency key: a retry whose first attempt committed is refused by the state
check (409: a proposal already waiting, the decision already signed or served, the listing already
removed), which the client takes as done when it had to retry, reading the proposal back.

Check, once settled: the proposals and listings made since the start are exactly those the client made
(none lost, none twice); each proposal has one `credit.propose` record, each approval one
`credit.approve`, each service one `credit.served`, each new listing one `credit.list`, each removal one
`credit.remove`; each listing's final status is what the client did to it (removed or revoked with its
trigger, else active); no debtor has two active listings; and for every person touched, each web
worker's screening answer (`POST /api/v1/screening/check` with a bank partner's key, sent to each
worker directly) is the register's mask seen by a bank, with the dishonest-list code present exactly
when the database holds an active published listing of the person.
"""

from __future__ import annotations

import itertools
import sys
from dataclasses import dataclass, field
from typing import Any

import requests
from soak_workloads import ROOT, Soak, Workload

sys.path.insert(0, str(ROOT / "src"))
from zhixing.credit import rules, visibility  # pure modules, no Django

TRIGGERS = ("wrongful", "early")
FINAL_STATUS = {"wrongful": "revoked", "early": "removed"}


@dataclass
class Listings(Workload):
    proposals: dict[int, int] = field(default_factory=dict)  # proposal → party
    approved: dict[int, int] = field(default_factory=dict)  # proposal → listing
    served: list[int] = field(default_factory=list)
    removed: dict[int, str] = field(default_factory=dict)  # listing → trigger
    uncertain: list[str] = field(default_factory=list)  # steps whose every attempt failed
    seq: Any = field(default_factory=itertools.count)

    def prepare(self, soak: Soak) -> None:
        self.judge = soak.token("th_judge1")
        self.president = soak.token("th_president")
        self.partner = {"X-Partner-Key": soak.credentials["partners"]["listings"][1]}
        self.debtors = soak.sql(
            "SELECT c.id, p.id, p.name FROM cases_enforcementcase c "
            "JOIN courts_staff s ON s.court_id = c.court_id AND s.username = 'th_judge1' "
            "JOIN cases_party p ON p.case_id = c.id AND p.role = 'debtor' AND p.kind = 'person' "
            "JOIN cases_enforcementnotice n ON n.case_id = c.id "
            "WHERE c.status IN ('registered', 'in_progress') AND NOT p.is_minor AND n.listing_warning "
            "AND n.served_on <= (now() AT TIME ZONE 'Asia/Shanghai')::date "
            "AND NOT EXISTS (SELECT 1 FROM credit_proposal x WHERE x.party_id = p.id "
            "AND x.kind = 'listing' AND x.status = 'pending') ORDER BY p.id"
        )
        assert self.debtors, "no debtor at th_judge1's court whose notice with the listing warning is served"
        self.parties = [p for _c, p, _n in self.debtors]
        self.marks = soak.sql(
            "SELECT (SELECT COALESCE(max(id), 0) FROM credit_proposal), "
            "(SELECT COALESCE(max(id), 0) FROM credit_listing), "
            "(SELECT COALESCE(max(id), 0) FROM core_auditrecord)"
        )[0]

    def call(
        self, soak: Soak, name: str, method: str, url: str, headers: dict[str, str], body: Any = None
    ) -> tuple[requests.Response | None, bool]:
        """(answer, whether the client had to retry)."""
        tries = [0]

        def send() -> requests.Response:
            tries[0] += 1
            return requests.request(method, f"{soak.base}{url}", json=body, headers=headers, timeout=60)

        answer = soak.record.call(name, send)
        if answer is None:
            with self.lock:
                self.uncertain.append(f"{name} {url}")
        return answer, tries[0] > 1

    def done(self, answer: requests.Response | None, retried: bool, ok: tuple[int, ...], what: str) -> bool:
        if answer is None:
            return False
        if answer.status_code in ok or (retried and answer.status_code == 409):
            return True
        self.odd(what, answer)
        return False

    def loop(self, soak: Soak) -> None:
        while not soak.stop.is_set():
            i = next(self.seq)
            case, party, name = self.debtors[i % len(self.debtors)]
            answer, _ = self.call(
                soak, "listing read (API)", "GET", f"/api/v1/credit/cases/{case}/listings", self.judge
            )
            if answer is None or answer.status_code != 200:
                if answer is not None:
                    self.odd("listings of the case", answer)
                continue
            # The case's listings name their debtor (a case may have several debtors).
            active = [x["id"] for x in answer.json() if x["status"] == "active" and x["name"] == name]
            if active:
                self.remove(soak, active[0], TRIGGERS[i % 2])
            else:
                self.list_debtor(soak, case, party)

    def remove(self, soak: Soak, listing: int, trigger: str) -> None:
        body = {"trigger": trigger, "note": f"压测{soak.tag}"}
        answer, retried = self.call(
            soak,
            "listing remove (API)",
            "POST",
            f"/api/v1/credit/listings/{listing}/remove",
            self.judge,
            body,
        )
        if self.done(answer, retried, (200,), "listing remove"):
            with self.lock:
                self.removed[listing] = trigger

    def list_debtor(self, soak: Soak, case: int, party: int) -> None:
        body = {"party_id": party, "ground": 4, "dishonest_act": f"违反财产报告制度（压测{soak.tag}）"}
        url = f"/api/v1/credit/cases/{case}/listings"
        answer, retried = self.call(soak, "listing propose (API)", "POST", url, self.judge, body)
        if not self.done(answer, retried, (202,), "listing propose"):
            return
        assert answer is not None
        if answer.status_code == 202:
            proposal = answer.json()["id"]
        else:  # a retry after the first attempt committed: the proposal waiting for this debtor
            pending, _ = self.call(
                soak, "approvals list (API)", "GET", "/api/v1/credit/approvals", self.president
            )
            mine = [
                p["id"] for p in (pending.json() if pending is not None else []) if p["party_id"] == party
            ]
            if not mine:
                return
            proposal = mine[0]
        with self.lock:
            self.proposals[proposal] = party
        url = f"/api/v1/credit/approvals/{proposal}"
        answer, retried = self.call(soak, "listing approve (API)", "POST", f"{url}/approve", self.president)
        if not self.done(answer, retried, (200,), "listing approve"):
            return
        assert answer is not None
        if answer.status_code != 200:
            answer, _ = self.call(soak, "approval read (API)", "GET", url, self.president)
            if answer is None or answer.status_code != 200:
                return
        listing = answer.json()["listing_id"]
        with self.lock:
            self.approved[proposal] = listing
        today = answer.json()["decided_on"]
        body = {"method": "personal", "on": today}
        answer, retried = self.call(soak, "listing served (API)", "POST", f"{url}/served", self.judge, body)
        if self.done(answer, retried, (200,), "listing served"):
            with self.lock:
                self.served.append(proposal)

    # -- the check -----------------------------------------------------------------------------------

    def audits(self, soak: Soak, action: str, object_type: str, ids: list[int]) -> dict[int, int]:
        rows = soak.sql(
            "SELECT object_id, count(*) FROM core_auditrecord WHERE id > %s AND action = %s "
            "AND object_type = %s AND object_id = ANY(%s) GROUP BY 1",
            (self.marks[2], action, object_type, [str(i) for i in ids]),
        )
        return {int(o): n for o, n in rows}

    def check(self, soak: Soak) -> list[str]:
        problems = self.unexpected_problems("listings")
        mark_p, mark_l, _ = self.marks
        made = dict(
            soak.sql(
                "SELECT id, status FROM credit_proposal WHERE id > %s AND kind = 'listing' "
                "AND party_id = ANY(%s)",
                (mark_p, self.parties),
            )
        )
        listings = {
            r[0]: r[1:]
            for r in soak.sql(
                "SELECT id, status, removal_trigger, party_id FROM credit_listing "
                "WHERE id > %s AND party_id = ANY(%s)",
                (mark_l, self.parties),
            )
        }
        slack = len(self.uncertain)  # a step the client gave up on may have taken effect, once
        lost = set(self.proposals) - set(made)
        extra = set(made) - set(self.proposals)
        if lost or len(extra) > slack:
            problems.append(f"listings: proposals lost {sorted(lost)}, not the client's {sorted(extra)}")
        new_listings = set(self.approved.values())
        if new_listings - set(listings) or len(set(listings) - new_listings) > slack:
            problems.append(
                f"listings: listings issued {sorted(listings)}, the client's approvals {sorted(new_listings)}"
            )
        for action, kind, ids in (
            ("credit.propose", "Proposal", list(self.proposals)),
            ("credit.approve", "Proposal", list(self.approved)),
            ("credit.served", "Proposal", self.served),
            ("credit.list", "Listing", list(new_listings)),
            ("credit.remove", "Listing", list(self.removed)),
        ):
            counted = self.audits(soak, action, kind, ids)
            off = {i: counted.get(i, 0) for i in ids if counted.get(i, 0) != 1}
            if off:
                problems.append(f"listings: {action} records not one each: {dict(list(off.items())[:5])}")
        wrong = [p for p in self.approved if made.get(p) != "approved"]
        if wrong:
            problems.append(f"listings: approved proposals not approved in the database: {wrong[:5]}")
        states = {
            r[0]: (r[1], r[2], r[3])
            for r in soak.sql(
                "SELECT id, status, removal_trigger, subject_key FROM credit_listing WHERE id = ANY(%s)",
                (list(new_listings | set(self.removed)),),
            )
        }
        for lid, (status, trigger, _key) in states.items():
            want = FINAL_STATUS[self.removed[lid]] if lid in self.removed else "active"
            if status != want or (lid in self.removed and trigger != self.removed[lid]):
                problems.append(f"listings: listing {lid} is {status}/{trigger}, the client left it {want}")
        twice = soak.sql(
            "SELECT party_id, count(*) FROM credit_listing WHERE status = 'active' AND party_id = ANY(%s) "
            "GROUP BY 1 HAVING count(*) > 1",
            (self.parties,),
        )
        if twice:
            problems.append(f"listings: debtors with two active listings: {twice[:5]}")
        problems += self.screening(soak, sorted({key for _s, _t, key in states.values()}))
        self.counts = (len(self.proposals), len(self.approved), len(self.served), len(self.removed))
        return problems

    def screening(self, soak: Soak, keys: list[str]) -> list[str]:
        """Each worker's screening answer of each touched person against the register and the listings."""
        self.screened = 0
        if not keys:
            return []
        register = dict(
            soak.sql(
                "SELECT subject_key, mask FROM credit_restrictedsubject WHERE subject_key = ANY(%s)", (keys,)
            )
        )
        listed = {
            r[0]
            for r in soak.sql(
                "SELECT DISTINCT subject_key FROM credit_listing WHERE subject_key = ANY(%s) "
                "AND status = 'active' AND publish_on <= (now() AT TIME ZONE 'Asia/Shanghai')::date",
                (keys,),
            )
        }
        bank = visibility.view_of("bank").mask
        problems = []
        for worker in soak.web_workers:
            for key in keys:
                answer = soak.record.call(
                    "screening check (worker)",
                    lambda key=key, worker=worker: requests.post(
                        f"{worker}/api/v1/screening/check", json={"id": key}, headers=self.partner, timeout=60
                    ),
                )
                if answer is None or answer.status_code != 200:
                    problems.append(f"listings: screening of {key} at {worker}: no answer")
                    continue
                self.screened += 1
                codes = answer.json()["restrictions"]
                want = rules.codes_of(register.get(key, 0) & bank)
                if sorted(codes) != sorted(want) or ("blacklist" in codes) != (key in listed):
                    problems.append(
                        f"listings: {worker} screens {key} as {codes}; register {want}, "
                        f"listed in the database {key in listed}"
                    )
        return problems

    def summary(self, soak: Soak) -> str:
        p, a, s, r = self.counts
        return (
            f"listing changes: proposed {p}, approved (listed) {a}, served {s}, removed {r} "
            f"on {len(self.parties)} debtors, each once; screening answers checked {self.screened} "
            f"(every worker); steps given up {len(self.uncertain)}"
        )
