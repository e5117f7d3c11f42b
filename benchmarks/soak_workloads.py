"""The soak's API workloads (benchmarks/cluster_soak.py): what a court's systems and partners send the
platform through its public HTTP API, with real credentials, and the exactly-once check of each.

Each workload has credentials made at start (`prepare`: an API token by `manage.py issue_token`, a
screening partner key as the admin site would make one), one or more client threads (`loop`, closed
loop through nginx, every call through `Record.call`, which retries a connection error or a 502/503/504),
a `settled` test the soak waits on after the load (every task the consumers owe has run — after the
consumer SIGKILL and the Redis restart too), and a `check` run on the database afterwards.

A call the client retried may have taken effect on its first attempt (a worker killed after it
committed): where the API has no idempotency key the retry's answer says so (a filing's duplicate
check answers 409 `needs_confirmation`) or the check counts by the client's own reference.
"""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
DEBTOR_IDS = ["11010519491231002X", "440524188001010014", "360426199101010071"]
CREDIT_CODE = "91110000600037341L"
# The demo staff whose API tokens the workloads use (`Soak.provision`).
STAFF = ["th_clerk", "th_judge1", "th_judge2", "th_director", "th_president", "th_finance"]
PROVISION = """
import json
from zhixing.command.models import CarPark
from zhixing.command.plate_operators import create_operator
from zhixing.courts.models import Staff
from zhixing.courts.services import issue_token
from zhixing.credit.services.partners import create_partner

tag = TAG
tokens = {u: issue_token(None, Staff.objects.get(username=u), "压测客户端" + tag) for u in USERS}
partners = {}
for use in ("load", "listings"):
    p, k = create_partner(None, name=f"压测银行{tag}-{use}", kind="bank", rate_per_minute=10**6)
    partners[use] = [p.pk, k]
op, key = create_operator(None, "压测停车" + tag)
CarPark.objects.create(
    operator=op, code="S1", name="压测停车场", address="天河区压测路1号", latitude=23.13, longitude=113.3
)
print(json.dumps({"tokens": tokens, "partners": partners, "operator": [op.pk, key]}))
"""


@dataclass
class Soak:
    """What every workload shares: the platform's address, the client record, the database."""

    base: str
    record: Any  # cluster_soak.Record
    stop: threading.Event
    platform: dict[str, str]
    tag: str
    credentials: dict[str, Any] = field(default_factory=dict)
    web_workers: list[str] = field(default_factory=list)  # each worker's own address (behind nginx)

    def sql(self, query: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        import psycopg

        with psycopg.connect(self.platform["DATABASE_URL"]) as conn:
            return list(conn.execute(query, params).fetchall())  # type: ignore[arg-type]

    def manage(self, *argv: str) -> str:
        done = subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *argv],
            cwd=ROOT,
            env=self.platform,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.strip()

    def provision(self) -> None:
        """Every credential the workloads use, made in one `manage.py shell` (one Django start instead
        of one per token): an API token per staff member (`courts.services.issue_token`, what
        `manage.py issue_token` calls), two bank screening partners (`create_partner`, as the admin site
        makes them: one for the screening load, one for the listings' screening checks), and a parking
        operator (`command.plate_operators.create_operator`) with one car park."""
        code = PROVISION.replace("TAG", json.dumps(self.tag)).replace("USERS", json.dumps(STAFF))
        self.credentials = json.loads(self.manage("shell", "-c", code).splitlines()[-1])

    def token(self, username: str) -> dict[str, str]:
        """Bearer header of the API token `provision` issued for a demo staff member."""
        return {"Authorization": f"Bearer {self.credentials['tokens'][username]}"}


@dataclass
class Workload:
    """Base: a name per interface, the answers that were not what the client expected."""

    threads: int = 1
    unexpected: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def prepare(self, soak: Soak) -> None:
        raise NotImplementedError

    def loop(self, soak: Soak) -> None:
        raise NotImplementedError

    def settled(self, soak: Soak) -> bool:
        return True

    def check(self, soak: Soak) -> list[str]:
        raise NotImplementedError

    def summary(self, soak: Soak) -> str:
        raise NotImplementedError

    def odd(self, what: str, answer: requests.Response) -> None:
        with self.lock:
            self.unexpected.append(f"{what}: HTTP {answer.status_code} {answer.text[:200]}")

    def unexpected_problems(self, name: str) -> list[str]:
        if not self.unexpected:
            return []
        return [f"{name}: {len(self.unexpected)} unexpected answers, e.g. {self.unexpected[:3]}"]


def sign_in(base: str, username: str) -> requests.Session:
    """A browser session of a demo account (password zhixing2026), through the sign-in form."""
    session = requests.Session()
    page = session.get(f"{base}/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, "sign-in page without CSRF token"
    done = session.post(
        f"{base}/login/",
        data={"username": username, "password": "zhixing2026", "csrfmiddlewaretoken": token.group(1)},
        headers={"Referer": f"{base}/login/"},
        timeout=30,
    )
    assert done.status_code == 200 and "/login/" not in done.url, "demo sign-in failed"
    return session


# -- filings (立案) ----------------------------------------------------------------------------------


@dataclass
class Filings(Workload):
    """A case-management system files cases with a clerk's token (`POST /api/v1/cases`).

    The API has no idempotency key; the filing's duplicate check (court + basis number + debtor, under
    a row lock) is what makes a retry safe: a retry of a filing that was committed answers 409
    `needs_confirmation`, which the client takes as "filed". Check: every filing the client counts as
    filed is exactly one case (by its basis number, unique per filing), with its `case.file` audit record.
    """

    accepted: list[str] = field(default_factory=list)
    seq: Any = field(default_factory=itertools.count)

    def prepare(self, soak: Soak) -> None:
        self.headers = soak.token("th_clerk")

    def body(self, basis: str, i: int) -> dict[str, Any]:
        return {
            "applied_on": "2026-03-09",
            "filed_on": "2026-03-10",
            "instrument_type": "civil_judgment",
            "issuing_body": "广州市天河区人民法院",
            "basis_number": basis,
            "effective_on": "2025-12-01",
            "performance_deadline": "2025-12-15",
            "principal": f"{10000 + i}.00",
            "parties": [
                {
                    "role": "applicant",
                    "kind": "organisation",
                    "name": "广州某银行股份有限公司",
                    "credit_code": CREDIT_CODE,
                    "legal_representative": "陈行长",
                },
                {"role": "debtor", "kind": "person", "name": "压测被执行人", "id_number": DEBTOR_IDS[i % 3]},
            ],
        }

    def loop(self, soak: Soak) -> None:
        while not soak.stop.is_set():
            i = next(self.seq)
            basis = f"（2025）粤0106民初{soak.tag}-{i}号"
            body = self.body(basis, i)
            answer = soak.record.call(
                "filing (API)",
                lambda: requests.post(
                    f"{soak.base}/api/v1/cases", json=body, headers=self.headers, timeout=60
                ),
            )
            if answer is None:
                continue
            retried_duplicate = answer.status_code == 409 and "needs_confirmation" in answer.text
            if answer.status_code == 201 or retried_duplicate:
                with self.lock:
                    self.accepted.append(basis)
            else:
                self.odd("filing", answer)

    def check(self, soak: Soak) -> list[str]:
        rows = soak.sql(
            "SELECT basis_number, count(*) FROM cases_enforcementcase WHERE basis_number LIKE %s "
            "GROUP BY basis_number",
            (f"%{soak.tag}-%",),
        )
        per_basis = dict(rows)
        self.cases = sum(per_basis.values())
        problems = self.unexpected_problems("filings")
        missing = [b for b in self.accepted if per_basis.get(b, 0) != 1]
        extra = sorted(set(per_basis) - set(self.accepted))
        if missing:
            problems.append(f"filings: {len(missing)} accepted not exactly one case, e.g. {missing[:3]}")
        # A filing whose every answer was lost (the client gave up) may exist once; never twice.
        twice = [b for b, n in per_basis.items() if n > 1]
        if twice:
            problems.append(f"filings: {len(twice)} basis numbers filed twice, e.g. {twice[:3]}")
        audited = soak.sql(
            "SELECT count(*) FROM core_auditrecord a JOIN cases_enforcementcase c ON a.case_id = c.id "
            "WHERE a.action = 'case.file' AND c.basis_number LIKE %s",
            (f"%{soak.tag}-%",),
        )[0][0]
        if audited != self.cases:
            problems.append(f"filings: {audited} case.file audit records for {self.cases} cases")
        self.extra = len(extra)
        return problems

    def summary(self, soak: Soak) -> str:
        return f"filings accepted {len(self.accepted)}; cases {self.cases} (each once)"


# -- screening (联合惩戒核查) ---------------------------------------------------------------------------


@dataclass
class Screening(Workload):
    """A bank screens its customers with its partner key: single checks and batches of 50.

    Check: every answered call has its audit record (`screening.check` / `screening.batch` on the
    partner; the engine has them on disk before it answers, in the chain moments later), and no call
    has more than one: records ≥ answers and ≤ calls sent (a call whose answer a killed worker never
    sent may be audited, once).
    """

    answered: dict[str, int] = field(default_factory=lambda: {"check": 0, "batch": 0})
    sent: dict[str, int] = field(default_factory=lambda: {"check": 0, "batch": 0})
    seq: Any = field(default_factory=itertools.count)

    def prepare(self, soak: Soak) -> None:
        partner, key = soak.credentials["partners"]["load"]
        self.partner = str(partner)
        self.headers = {"X-Partner-Key": key}

    def post(self, soak: Soak, kind: str, body: Any) -> requests.Response:
        with self.lock:
            self.sent[kind] += 1
        return requests.post(
            f"{soak.base}/api/v1/screening/{kind}", json=body, headers=self.headers, timeout=60
        )

    def loop(self, soak: Soak) -> None:
        while not soak.stop.is_set():
            i = next(self.seq)
            kind = "batch" if i % 5 == 4 else "check"
            if kind == "check":
                body: Any = {"id": DEBTOR_IDS[i % 3]}
            else:
                body = {"ids": [DEBTOR_IDS[(i + j) % 3] for j in range(50)]}
            answer = soak.record.call(f"screening {kind}", lambda: self.post(soak, kind, body))
            if answer is None:
                continue
            if answer.status_code == 200:
                with self.lock:
                    self.answered[kind] += 1
            else:
                self.odd(f"screening {kind}", answer)

    def counts(self, soak: Soak) -> dict[str, int]:
        rows = dict(
            soak.sql(
                "SELECT action, count(*) FROM core_auditrecord WHERE object_type = 'Partner' "
                "AND object_id = %s AND action IN ('screening.check', 'screening.batch') GROUP BY action",
                (self.partner,),
            )
        )
        return {k: rows.get(f"screening.{k}", 0) for k in ("check", "batch")}

    def settled(self, soak: Soak) -> bool:
        # The engine's records reach the chain through its journal's flusher, a moment after the answers
        # (core/audit_journal.py): the count is taken once they are all there (or the settle times out).
        audited = self.counts(soak)
        return all(audited[k] >= self.answered[k] for k in audited)

    def check(self, soak: Soak) -> list[str]:
        self.audited = self.counts(soak)
        problems = self.unexpected_problems("screening")
        for k in ("check", "batch"):
            if not self.answered[k] <= self.audited[k] <= self.sent[k]:
                problems.append(
                    f"screening {k}: {self.audited[k]} audit records for {self.answered[k]} answered "
                    f"of {self.sent[k]} sent"
                )
        return problems

    def summary(self, soak: Soak) -> str:
        return (
            f"screening answered (check, batch) {tuple(self.answered.values())}; "
            f"audited {tuple(self.audited.values())}; sent {tuple(self.sent.values())}"
        )


# -- inquiry rounds (一键查控) -----------------------------------------------------------------------


@dataclass
class Inquiries(Workload):
    """A judge starts inquiry rounds on the court's open cases with his token; the consumers send the
    queries to the partner sandbox, which answers through the partner protocol (signed callbacks to
    `/api/v1/inquiry/callback`), and the results are applied by Huey tasks.

    The start has no idempotency key: a retried start may file a second round, which is a round like
    any other. Check, once settled (every request of every round answered, after the consumer kill and
    the Redis restart): every round has its requests, all answered (`done`, or `failed` after the
    partner refused), each request's answer applied once (it appears in one `inquiry.results` record).
    """

    batches: list[int] = field(default_factory=list)
    seq: Any = field(default_factory=itertools.count)
    categories: tuple[str, ...] = ("deposit", "real_estate", "vehicle", "online_payment")

    def prepare(self, soak: Soak) -> None:
        self.headers = soak.token("th_judge1")
        self.cases = self.prepare_cases(soak)
        self.mark = soak.sql("SELECT COALESCE(max(id), 0) FROM core_auditrecord")[0][0]

    def prepare_cases(self, soak: Soak) -> list[int]:
        cases = [
            r[0]
            for r in soak.sql(
                "SELECT c.id FROM cases_enforcementcase c JOIN courts_staff s ON s.court_id = c.court_id "
                "WHERE s.username = 'th_judge1' AND c.status IN ('registered', 'in_progress') "
                "AND EXISTS (SELECT 1 FROM cases_party p WHERE p.case_id = c.id AND p.role = 'debtor') "
                "ORDER BY c.id"
            )
        ]
        assert cases, "no open case with a debtor at th_judge1's court"
        return cases

    def loop(self, soak: Soak) -> None:
        while not soak.stop.is_set():
            case = self.cases[next(self.seq) % len(self.cases)]
            answer = soak.record.call(
                "inquiry round start",
                lambda: requests.post(
                    f"{soak.base}/api/v1/inquiry/cases/{case}/inquiries",
                    json={"categories": list(self.categories)},
                    headers=self.headers,
                    timeout=60,
                ),
            )
            if answer is not None and answer.status_code == 201:
                with self.lock:
                    self.batches.append(answer.json()["batch"])
            elif answer is not None:
                self.odd("inquiry round", answer)
            soak.stop.wait(1.0)

    def statuses(self, soak: Soak) -> dict[str, int]:
        return dict(
            soak.sql(
                "SELECT status, count(*) FROM inquiry_inquiryrequest WHERE batch_id = ANY(%s) "
                "GROUP BY status",
                (self.batches,),
            )
        )

    def settled(self, soak: Soak) -> bool:
        return not {"pending", "sending", "waiting"} & set(self.statuses(soak))

    def check(self, soak: Soak) -> list[str]:
        problems = self.unexpected_problems("inquiry rounds")
        self.by_status = self.statuses(soak)
        expected = soak.sql(
            "SELECT COALESCE(sum(request_count), 0), count(*) FROM inquiry_inquirybatch WHERE id = ANY(%s)",
            (self.batches,),
        )[0]
        if expected[1] != len(set(self.batches)) or sum(self.by_status.values()) != expected[0]:
            problems.append(
                f"inquiry rounds: {sum(self.by_status.values())} requests in {expected[1]} rounds, "
                f"the rounds say {expected[0]} in {len(set(self.batches))}"
            )
        open_ = {k: n for k, n in self.by_status.items() if k not in ("done", "failed")}
        if open_:
            problems.append(f"inquiry rounds: requests never answered after the load: {open_}")
        applied = soak.sql(
            "SELECT (r->>0)::bigint AS req, count(*) FROM core_auditrecord a, "
            "jsonb_array_elements(a.after->'results') r WHERE a.action = 'inquiry.results' AND a.id > %s "
            "GROUP BY 1",
            (self.mark,),
        )
        ours = {
            r[0]
            for r in soak.sql(
                "SELECT id FROM inquiry_inquiryrequest WHERE batch_id = ANY(%s) AND status = 'done'",
                (self.batches,),
            )
        }
        times = {req: n for req, n in applied if req in ours}
        self.applied = len(times)
        twice = [req for req, n in times.items() if n > 1]
        if twice:
            problems.append(f"inquiry rounds: {len(twice)} answers applied twice, e.g. {twice[:3]}")
        never = ours - set(times)
        if never:
            problems.append(f"inquiry rounds: {len(never)} done requests without their result record")
        return problems

    def summary(self, soak: Soak) -> str:
        return (
            f"inquiry rounds {len(self.batches)}; requests by status {self.by_status}; "
            f"answers applied once {self.applied}"
        )


# -- statement imports (银行流水导入) ------------------------------------------------------------------


@dataclass
class Imports(Workload):
    """A judge uploads bank statements (招商银行 layout, 40 rows, each upload its own) for a debtor with
    his token; a consumer validates and stores them (Huey). Check, once settled: every accepted upload
    is one job that ended `done` (after the consumer kill and the Redis restart too), each of its rows
    stored once, with one `analytics.import.done` audit record.
    """

    jobs: list[int] = field(default_factory=list)
    seq: Any = field(default_factory=itertools.count)

    def prepare(self, soak: Soak) -> None:
        self.headers = soak.token("th_judge1")
        self.debtors = soak.sql(
            "SELECT DISTINCT p.case_id, p.id FROM analytics_importjob j "
            "JOIN cases_party p ON p.id = j.party_id JOIN cases_enforcementcase c ON c.id = p.case_id "
            "JOIN courts_staff s ON s.court_id = c.court_id "
            "WHERE s.username = 'th_judge1' ORDER BY 1, 2"
        )
        assert self.debtors, "no debtor with statements at th_judge1's court in the demo"

    def statement(self, i: int) -> bytes:
        lines = ["记账日期,货币,交易金额,联机余额,交易摘要,对手信息,客户摘要"]
        balance = 50000 + i
        for d in range(40):
            amount = -(d + 1) - (i % 97) / 100
            balance += amount
            lines.append(
                f"2026-05-{1 + d % 28:02d},CNY,{amount:.2f},{balance:.2f},一网通支付,压测商户{i}-{d},消费"
            )
        return ("\n".join(lines) + "\n").encode()

    def loop(self, soak: Soak) -> None:
        while not soak.stop.is_set():
            i = next(self.seq)
            case, party = self.debtors[i % len(self.debtors)]
            data = self.statement(i)
            answer = soak.record.call(
                "statement import",
                lambda: requests.post(
                    f"{soak.base}/api/v1/analytics/cases/{case}/debtors/{party}/imports",
                    files={"file": (f"{soak.tag}-{i}.csv", data, "text/csv")},
                    data={"preset": "cmb", "mode": "strict"},
                    headers=self.headers,
                    timeout=60,
                ),
            )
            if answer is not None and answer.status_code == 201:
                with self.lock:
                    self.jobs.append(answer.json()["id"])
            elif answer is not None:
                self.odd("statement import", answer)
            soak.stop.wait(0.5)

    def statuses(self, soak: Soak) -> dict[str, int]:
        return dict(
            soak.sql(
                "SELECT status, count(*) FROM analytics_importjob WHERE id = ANY(%s) GROUP BY status",
                (self.jobs,),
            )
        )

    def settled(self, soak: Soak) -> bool:
        return not {"pending", "running"} & set(self.statuses(soak))

    def check(self, soak: Soak) -> list[str]:
        problems = self.unexpected_problems("statement imports")
        self.by_status = self.statuses(soak)
        if self.by_status.get("done", 0) != len(self.jobs):
            problems.append(f"statement imports: {len(self.jobs)} accepted, by status {self.by_status}")
        twice = soak.sql(
            "SELECT count(*) FROM (SELECT job_id, row_no FROM analytics_transaction WHERE job_id = ANY(%s) "
            "GROUP BY 1, 2 HAVING count(*) > 1) t",
            (self.jobs,),
        )[0][0]
        self.rows = soak.sql(
            "SELECT count(*) FROM analytics_transaction WHERE job_id = ANY(%s)", (self.jobs,)
        )[0][0]
        if twice:
            problems.append(f"statement imports: {twice} rows stored twice")
        if self.rows != 40 * self.by_status.get("done", 0):
            problems.append(f"statement imports: {self.rows} rows for {self.by_status} jobs of 40 rows")
        audited = dict(
            soak.sql(
                "SELECT object_id, count(*) FROM core_auditrecord WHERE action = 'analytics.import.done' "
                "AND object_id = ANY(%s) GROUP BY 1",
                ([str(j) for j in self.jobs],),
            )
        )
        off = [j for j in self.jobs if audited.get(str(j), 0) != 1]
        if off:
            problems.append(f"statement imports: {len(off)} jobs without exactly one done record")
        return problems

    def summary(self, soak: Soak) -> str:
        return f"statement imports {len(self.jobs)}; jobs by status {self.by_status}; rows {self.rows}"


# -- payouts (发款) --------------------------------------------------------------------------------


@dataclass
class Payouts(Workload):
    """Money leaving case accounts: a judge proposes a payout of 1.00 to the applicant, the chain
    approves it (a second judge, the director, the president, each with his own token), finance sends
    the payment order to the sandbox custody bank (its order key makes a re-sent order paid once; a
    payout left `sending` is re-sent by the every-minute task).

    Approving and sending have no idempotency key; a retried step whose first attempt committed is
    refused (409/403: the step has moved on), which the client takes as done when it had to retry.
    Proposing has none either: a retried proposal may leave a second proposal, never approved here
    (counted, not money). Check, once settled: every proposal the client approved and sent is paid, with
    exactly one reserve and one paid ledger transaction (their keys are unique; the ledger-wide balance
    check covers the rest).
    """

    paid: list[int] = field(default_factory=list)
    stuck: list[int] = field(default_factory=list)
    seq: Any = field(default_factory=itertools.count)

    def prepare(self, soak: Soak) -> None:
        self.tokens = {
            who: soak.token(who)
            for who in ("th_judge1", "th_judge2", "th_director", "th_president", "th_finance")
        }
        self.cases = soak.sql(
            "SELECT a.case_id, p.id, p.name FROM funds_ledgeraccount a "
            "JOIN cases_enforcementcase c ON c.id = a.case_id "
            "JOIN cases_party p ON p.case_id = c.id AND p.role = 'applicant' "
            "JOIN courts_staff s ON s.court_id = c.court_id AND s.username = 'th_judge1' "
            "WHERE a.kind = 'case' AND a.balance < -10000 AND c.status IN ('registered', 'in_progress') "
            "ORDER BY a.case_id, p.id"
        )
        assert self.cases, "no case with money at th_judge1's court"
        self.since = soak.sql("SELECT COALESCE(max(id), 0) FROM funds_payout")[0][0]

    def step(self, soak: Soak, name: str, who: str, url: str, body: Any = None) -> bool:
        tries = [0]

        def send() -> requests.Response:
            tries[0] += 1
            return requests.post(f"{soak.base}{url}", json=body, headers=self.tokens[who], timeout=60)

        answer = soak.record.call(name, send)
        if answer is None:
            return False
        if answer.status_code in (200, 201) or (tries[0] > 1 and answer.status_code in (403, 409)):
            return True
        self.odd(name, answer)
        return False

    def loop(self, soak: Soak) -> None:
        while not soak.stop.is_set():
            case, party, name = self.cases[next(self.seq) % len(self.cases)]
            body = {
                "party_id": party,
                "amount": "1.00",
                "account_name": name,
                "account_no": "6222020200112233",
            }
            tries = [0]

            def propose() -> requests.Response:
                tries[0] += 1
                return requests.post(
                    f"{soak.base}/api/v1/funds/cases/{case}/payouts",
                    json=body,
                    headers=self.tokens["th_judge1"],
                    timeout=60,
                )

            answer = soak.record.call("payout propose", propose)
            if answer is None or answer.status_code != 201:
                if answer is not None:
                    self.odd("payout propose", answer)
                continue
            pid = answer.json()["id"]
            steps = [("th_judge2", "decide"), ("th_director", "decide"), ("th_president", "decide")]
            ok = all(
                self.step(
                    soak, "payout approve", who, f"/api/v1/funds/payouts/{pid}/decide", {"approve": True}
                )
                for who, _ in steps
            ) and self.step(soak, "payout send", "th_finance", f"/api/v1/funds/payouts/{pid}/send")
            with self.lock:
                (self.paid if ok else self.stuck).append(pid)
            soak.stop.wait(0.5)

    def statuses(self, soak: Soak) -> dict[str, int]:
        return dict(
            soak.sql(
                "SELECT status, count(*) FROM funds_payout WHERE id = ANY(%s) GROUP BY status", (self.paid,)
            )
        )

    def settled(self, soak: Soak) -> bool:
        return not {"approved", "sending"} & set(self.statuses(soak))

    def check(self, soak: Soak) -> list[str]:
        problems = self.unexpected_problems("payouts")
        self.by_status = self.statuses(soak)
        if self.by_status.get("paid", 0) != len(self.paid):
            problems.append(f"payouts: {len(self.paid)} sent, by status {self.by_status}")
        keys = [f"payout-reserve:{p}" for p in self.paid] + [f"payout-paid:{p}" for p in self.paid]
        booked = soak.sql("SELECT count(*) FROM funds_transaction WHERE idempotency_key = ANY(%s)", (keys,))[
            0
        ][0]
        if booked != len(keys):
            problems.append(
                f"payouts: {booked} ledger transactions for {len(self.paid)} paid payouts (want 2 each)"
            )
        self.extra = soak.sql(
            "SELECT count(*) FROM funds_payout WHERE id > %s AND NOT id = ANY(%s) AND status = 'proposed'",
            (self.since, self.paid + self.stuck),
        )[0][0]
        return problems

    def summary(self, soak: Soak) -> str:
        return (
            f"payouts approved and sent {len(self.paid)}; by status {self.by_status}; "
            f"left mid-chain {len(self.stuck)}; proposals left by retried proposals {self.extra}"
        )


ALL = [Filings, Screening, Inquiries, Imports, Payouts]


def dump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False)


def wait(predicate: Any, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(2)
    return predicate()
