"""The partner screening gateway: the single check and the batch, answered in front of Django.

`POST /api/v1/screening/check` and `POST /api/v1/screening/batch` (every format: the original JSON,
JSON arrays, text/plain lines, compact JSON and CSV answers) are served here, in the platform's own
ASGI application (`zhixing.config.asgi`), on the server `make run` and the documented deployment
start. Django's request stack costs ~2.5 ms of CPU per request before a view runs and the ninja
handlers made a dozen queries per call (partner, rate-limit counter, change-log cursor, court and
case details, enumeration counters, the audit record in its own transaction); measured on the product
the single check answered 51 requests/s. The other partner endpoints (private, change feeds,
interception receipts) stay on Django (`api.py`, `api_screening.py`) with the same `PartnerAuth`.

Per call this gateway does everything those handlers did, in the same order and with the same answers
(docs/adr/0014-screening-gateway.md):

* the partner key, by its SHA-256 digest; a revoked or unknown key is refused (401);
* the partner's per-minute limit, counted in the shared store every worker counts in (429);
* a partner in privacy mode is refused the clear endpoints (403);
* the body: JSON declared as JSON (415), valid JSON (400), the schema (422 with the API's body);
* the answer from the in-memory `ScreeningIndex`, masked by what the partner kind may see, with the
  court and case details of hits reduced by `visibility.VIEWS`;
* the enumeration detector and one audit record per call.

Requests are not handled one by one. The event loop reads a request and queues it; ONE engine thread
per process takes everything queued and handles it as a group: one change-log cursor query (the
index and the detail cache follow the log), one partner query for all keys, one counter update per
partner, the answers, then the audit records of the whole group in one transaction (one chain-head
lock, one INSERT). Only when that transaction has committed are the group's answers sent: an answered
call always has its audit record (group commit); a crash before the commit loses only calls that were
never answered. Court and case details are cached per subject, cleared whenever the change log moves
(every change to a subject's measures appends an event, `services.register.refresh_subject`) and at
midnight.

In tests the gateway runs inline (`ScreeningGateway.inline`): the group is one request, handled in the
caller's thread and database connection, through the same code.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from django.db import connections, transaction
from django.utils import timezone
from pydantic import ValidationError as PydanticError

from zhixing.core.asgi_routes import (
    JSON_TYPE,
    SECURITY_HEADERS,
    header_map,
    is_json_type,
    read_body,
    served_as_django_would,
    unsupported_json,
)
from zhixing.core.errors import ServiceError
from zhixing.core.pool_connections import recycle_connection
from zhixing.core.ratelimit import RateLimited
from zhixing.core.validation import validation_body

from . import queries, rules
from .api_screening import PartnerKeyError, PrivacyModeOnly, UnsupportedType
from .models import Partner
from .schemas import MAX_BATCH, BatchIn, CheckIn
from .screening import (
    LineBatch,
    ScreeningIndex,
    batch_lines,
    count_lines,
    hits_csv,
    malformed,
    normalise_lines,
)
from .services import enumeration
from .services.partners import (
    Observed,
    ScreeningCall,
    admit_calls,
    audit_screening_many,
    normalise_subject,
    partners_for_keys,
)
from .visibility import PartnerView, view_of, visible_measures, visible_since

CHECK_PATH = "/api/v1/screening/check"
BATCH_PATH = "/api/v1/screening/batch"
PATHS = {CHECK_PATH: "check", BATCH_PATH: "batch"}
MAX_GROUP = 512  # requests handled (and audited) together at most
LINGER = 0.001  # seconds a group waits, from its first request's arrival, for others to share its costs
CHECKPOINT_EVERY = 0.25  # seconds between the SQLite WAL checkpoints of the engine's own thread
CHECKPOINT_PASSES = 8  # PASSIVE passes at most to copy the WAL whole (each copies what came meanwhile)
OBSERVE_EVERY = 0.1  # seconds between the enumeration detector's counts (one per partner)
DETAIL_CACHE_SUBJECTS = 200_000

log = logging.getLogger("django.request")

_TEXT_TYPES = ("text/plain", "text/csv")


# -- one request and its answer ---------------------------------------------------------------------------
@dataclass
class Job:
    """A screening request as read by the event loop."""

    kind: str  # "check" or "batch"
    key: str  # X-Partner-Key
    content_type: str
    accept: str
    query: str
    body: bytes
    loop: Any = None
    future: Any = None
    subject: str = ""  # the single check's subject key, once parsed (Engine._prefetch)
    queued_at: float = 0.0  # time.monotonic() when the event loop queued it


@dataclass
class Answer:
    status: int
    body: bytes
    content_type: str = "application/json; charset=utf-8"
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    call: ScreeningCall | None = None  # the audit record owed before it is sent


def _json(status: int, payload: Any, headers: list[tuple[bytes, bytes]] | None = None) -> Answer:
    try:
        data = json.dumps(payload, ensure_ascii=False, default=str).encode()
    except UnicodeEncodeError:  # a lone surrogate echoed from the request: escaped, as ninja does
        data = json.dumps(payload, default=str).encode()
    return Answer(status, data, headers=headers or [])


def _error(exc: ServiceError) -> Answer:
    return _json(exc.status, {"detail": exc.message, "field": exc.field, "code": exc.code})


class _Invalid(Exception):
    """A request body that fails its schema: answered 422 with the API's validation body."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__("invalid")
        self.errors = errors


def _invalid(errors: list[dict[str, Any]]) -> Answer:
    return _json(422, validation_body(errors))


def _unsupported_json(content_type: str) -> Answer:
    return _json(415, unsupported_json(content_type))


class _BadJson(ServiceError):
    status = 400

    def __init__(self) -> None:
        super().__init__("请求体不是有效的JSON", code="bad_json")


# -- details of hits, cached with the index ----------------------------------------------------------------
_NO_DETAILS: list[dict[str, Any]] = []  # a cached subject with no court or case (read only)
FREEZE_INDEX_AT = 100_000  # subjects: a bigger index is frozen out of the garbage collector's walks


class DetailCache:
    """`queries.subject_details` per subject, following the change log subject by subject, for one day.

    Every change to a subject's measures appends a change event naming it (`register.refresh_subject`,
    also when the mask stays), so when the index's cursor moves only the subjects named by the events
    in between are forgotten (one query for their keys); a subject nobody changed keeps its court and
    case details however busy the register is. A rebuilt index, a new day (measures come into force by
    date) or more than `FORGET_AT_MOST` events at once forget everything.
    """

    FORGET_AT_MOST = 10_000

    def __init__(self, limit: int = DETAIL_CACHE_SUBJECTS) -> None:
        self.limit = limit
        self.index: ScreeningIndex | None = None
        self.stamp: tuple[int, Any] = (-1, None)
        self.rows: dict[str, list[dict[str, Any]]] = {}

    def follow(self, index: ScreeningIndex) -> None:
        """Forget the subjects changed since the last call (all of them after a rebuild or a new day)."""
        stamp = (index.cursor, timezone.localdate())
        if index is self.index and stamp == self.stamp:
            return
        changed = None
        if index is self.index and stamp[1] == self.stamp[1] and self.rows and stamp[0] > self.stamp[0]:
            changed = queries.changed_subjects(self.stamp[0], stamp[0], self.FORGET_AT_MOST)
        if changed is None:
            self.rows = {}
        else:
            for key in changed:
                self.rows.pop(key, None)
        self.index, self.stamp = index, stamp

    def get(self, keys: list[str]) -> dict[str, list[dict[str, Any]]]:
        rows = self.rows
        missing = [k for k in dict.fromkeys(keys) if k not in rows]
        if missing:
            found = queries.subject_details(missing)
            if len(rows) + len(missing) > self.limit:
                self.rows = rows = {}
            for k in missing:  # one shared (never changed) empty list: no object per plain subject
                rows[k] = found.get(k, _NO_DETAILS)
        return {k: rows[k] for k in keys}


# -- the answers (as the ninja handlers gave them) ---------------------------------------------------------
def _check(job: Job, partner: Partner, index: ScreeningIndex, details: DetailCache) -> Answer:
    if not is_json_type(job.content_type):
        return _unsupported_json(job.content_type)
    try:
        data = json.loads(job.body) if job.body.strip() else {}
    except ValueError:
        raise _BadJson() from None
    try:
        payload = CheckIn.model_validate(data)
    except PydanticError as exc:
        raise _Invalid([dict(e) for e in exc.errors(include_url=False)]) from None
    key = job.subject or normalise_subject(payload.id)
    view = view_of(partner.kind)
    mask = index.mask_of(key) & view.mask
    rows = details.get([key])[key] if mask else []
    codes = rules.codes_of(mask)
    body: dict[str, Any] = {
        "id": key,
        "restricted": bool(mask),
        "restrictions": codes,
        "labels": [rules.CODE_LABELS[c] for c in codes],
    }
    if "since" in view.fields:  # a field the kind may not see is absent, not null
        since = visible_since(view, rows)
        body["since"] = since.isoformat() if since else None
    body["cases"] = [_dated(m) for m in visible_measures(view, rows)]
    answer = _json(200, body)
    answer.call = ScreeningCall(partner, "check", asked=1, hits=int(bool(mask)), ids=[key])
    return answer


def _dated(measure: dict[str, Any]) -> dict[str, Any]:
    since = measure.get("since")
    if since is not None:
        return {**measure, "since": since.isoformat()}
    return measure


def _too_many(n: int) -> ServiceError:
    return ServiceError(f"每批最多{MAX_BATCH}个身份号码，本批{n}个，请分批查询", field="ids", code="too_many")


def read_batch(content_type: str, body: bytes) -> tuple[bytes | None, list[str] | None]:
    """(body, None) for the line format, (None, legacy ids) for ``{"ids": [...]}``.

    A JSON array of strings is turned into the line format (one item per line). Bad input raises a
    ServiceError naming `ids` before any screening work; the limit is checked before parsing items.
    """
    ctype = content_type.split(";")[0].strip().lower()
    if ctype in _TEXT_TYPES:
        n = count_lines(body)
        if n > MAX_BATCH:
            raise _too_many(n)
        return body, None
    if ctype not in (JSON_TYPE, ""):
        raise UnsupportedType(
            "不支持的请求格式：请使用 application/json 或 text/plain（每行一个身份号码）",
            field="ids",
            code="unsupported",
        )
    try:
        data = json.loads(body or b"null")
    except ValueError:
        raise _BadJson() from None
    if isinstance(data, list):
        if len(data) > MAX_BATCH:
            raise _too_many(len(data))
        for i, item in enumerate(data):
            if not isinstance(item, str) or "\n" in item or "\r" in item:
                raise ServiceError(f"第{i + 1}项应为身份号码文本", field=f"ids[{i}]")
        return "\n".join(data).encode("utf-8", "surrogatepass"), None
    if isinstance(data, dict) and isinstance(data.get("ids"), list) and len(data["ids"]) > MAX_BATCH:
        raise _too_many(len(data["ids"]))
    try:
        return None, BatchIn.model_validate(data).ids
    except PydanticError as exc:
        raise _Invalid([dict(e) for e in exc.errors(include_url=False)]) from None


def _line_details(
    data: bytes, batch: LineBatch, view: PartnerView, details: DetailCache
) -> dict[int, tuple[object, object, object]]:
    """Line → (since, court, case number) of the earliest in-force measure the partner may see, per hit.

    Only measures of the partner's business count (`visibility.VIEWS`): a railway key is not told about
    an exit restriction's court and case, only about the measure that actually refuses its ticket; a
    field the partner kind may not see stays empty.
    """
    lines = batch_lines(data)
    keys = {p: lines[p - 1] for p in batch.hits}
    cases = details.get(list(keys.values()))
    out: dict[int, tuple[object, object, object]] = {}
    for p, key in keys.items():
        measures = cases.get(key)
        rows = visible_measures(view, measures) if measures else ()
        if rows:
            first = rows[0]
            since = first.get("since")
            out[p] = (since.isoformat() if since else None, first.get("court"), first.get("case_number"))
    return out


_DETAIL_FIELDS = ("since", "court", "case_number")  # the detail columns of the compact answers


def _sample(data: bytes) -> list[str]:
    """The first resident IDs of a line batch for the enumeration detector (no decoding of the rest)."""
    head = normalise_lines(data[: 19 * enumeration.sample_size() + 3])
    return head.decode(errors="replace").split("\n")


def _compact(
    job: Job, partner: Partner, data: bytes, csv: bool, index: ScreeningIndex, details: DetailCache
) -> Answer:
    view = view_of(partner.kind)
    batch = index.screen_lines(data, view.mask)
    with_details = parse_qs(job.query).get("details", ["1"])[-1] != "0" and bool(batch.hits)
    shown = _line_details(data, batch, view, details) if with_details else {}
    call = ScreeningCall(
        partner,
        "batch",
        asked=batch.asked,
        hits=len(batch.hits),
        extra={"format": "csv" if csv else "compact"},
        ids=_sample(data),
    )
    headers = [
        (b"x-screening-asked", str(batch.asked).encode()),
        (b"x-screening-hits", str(len(batch.hits)).encode()),
    ]
    if csv:
        text = hits_csv(batch, shown).encode()
        return Answer(200, text, "text/csv; charset=utf-8", headers, call)
    hits = []
    # Only the detail fields the partner kind may see appear at all (visibility.VIEWS).
    fields = [i for i, f in enumerate(_DETAIL_FIELDS) if f in view.fields]
    for p, m in batch.hits.items():
        row = shown.get(p, (None, None, None))
        hit: dict[str, Any] = {"pos": p, "mask": m, "restrictions": rules.codes_of(m)}
        hit.update((_DETAIL_FIELDS[i], row[i]) for i in fields)
        hits.append(hit)
    reasons = {str(p): batch.reasons.get(p, "format") for p in batch.invalid}
    body = {"asked": batch.asked, "hits": hits, "invalid": batch.invalid, "invalid_reasons": reasons}
    answer = _json(200, body, headers)
    answer.call = call
    return answer


def _batch(job: Job, partner: Partner, index: ScreeningIndex, details: DetailCache) -> Answer:
    data, ids = read_batch(job.content_type, job.body)
    csv = any(t in job.accept.lower() for t in _TEXT_TYPES)
    if data is None and csv:  # the original JSON body, answered in CSV
        data = "\n".join(ids or []).encode("utf-8", "surrogatepass")
    if data is not None:
        return _compact(job, partner, data, csv, index, details)
    ids = [i.strip().upper() for i in ids or []]
    invalid = malformed(ids)
    hits = index.check_many(ids, view_of(partner.kind).mask)
    body = {
        "asked": len(ids),
        "restricted": {k: rules.codes_of(m) for k, m in hits.items()},
        "invalid": list(invalid),
        "invalid_reasons": invalid,
    }
    answer = _json(200, body)
    answer.call = ScreeningCall(partner, "batch", asked=len(ids), hits=len(hits), ids=ids)
    return answer


_HANDLERS: dict[str, Callable[[Job, Partner, ScreeningIndex, DetailCache], Answer]] = {
    "check": _check,
    "batch": _batch,
}


# -- the engine: one thread, requests handled in groups ----------------------------------------------------
def _server_error() -> Answer:
    return _json(500, {"detail": "服务器内部错误，请稍后重试", "field": None, "code": "server_error"})


class Engine:
    """Handles queued requests in groups (see the module docstring); one per process."""

    def __init__(self) -> None:
        self.queue: queue.SimpleQueue[Job] = queue.SimpleQueue()
        self.details = DetailCache()
        self.pending: dict[int, Observed] = {}  # calls not yet counted by the enumeration detector
        self.observed_at = 0.0
        self.thread: threading.Thread | None = None
        self.start_lock = threading.Lock()
        self.tuned: Any = None  # the SQLite connection told not to checkpoint (_no_checkpoints)
        self.checkpoints: threading.Thread | None = None

    def submit(self, job: Job) -> None:
        if self.thread is None:
            with self.start_lock:
                if self.thread is None:
                    self.thread = threading.Thread(target=self._run, name="screening-gateway", daemon=True)
                    self.thread.start()
        job.queued_at = time.monotonic()
        self.queue.put(job)

    def take(self) -> list[Job]:
        """The next group: everything queued, and what arrives until LINGER after its first request.

        A group's fixed cost (change-log cursor, partner query, counters, the audit transaction and its
        commit: ~600 µs of CPU) is shared by its requests (in process: 615 µs per check in groups of
        1, 229 µs in groups of 4). Taken the moment the first one arrives, a group at 2,000 checks/s
        held 1–2 requests and the fixed cost alone kept the server near saturation; so it waits up to
        LINGER for company (never once the first request has waited that long), as a database's commit
        delay does. At low load that adds at most LINGER to an answer.
        """
        jobs = [self.queue.get()]
        deadline = jobs[0].queued_at + LINGER
        while len(jobs) < MAX_GROUP:
            wait = deadline - time.monotonic()
            try:
                jobs.append(self.queue.get(timeout=wait) if wait > 0 else self.queue.get_nowait())
            except queue.Empty:
                break
        return jobs

    def _run(self) -> None:
        while True:
            jobs = self.take()
            try:
                recycle_connection()
                self._no_checkpoints()
                answers = self.process(jobs)
            except Exception:
                log.exception("screening gateway: a group of %d requests failed", len(jobs))
                answers = [_server_error() for _ in jobs]
            try:
                recycle_connection()
            except Exception:
                log.exception("screening gateway: closing a broken connection failed")
            by_loop: dict[Any, list[tuple[Any, Answer]]] = {}
            for job, answer in zip(jobs, answers, strict=True):
                by_loop.setdefault(job.loop, []).append((job.future, answer))
            for loop, pairs in by_loop.items():
                # A closed loop: the server is shutting down, nobody waits for these answers.
                with contextlib.suppress(RuntimeError):
                    loop.call_soon_threadsafe(_resolve, pairs)

    def _no_checkpoints(self) -> None:
        """SQLite: the engine's commits never checkpoint the WAL; a thread of its own does (`_checkpoint`).

        By default the commit that takes the WAL past 1,000 pages checkpoints it on the spot: it copies
        the pages into the database file and fsyncs both files (10–40 ms measured on this machine's
        disk) before it returns, so a whole group's answers waited for it, several times a second at
        2,000 checks/s (most of the p99). The commits' durability is unchanged (WAL, `synchronous=NORMAL`,
        docs/credit.md "Durability of the screening audit").
        """
        conn = connections["default"]
        if conn.vendor != "sqlite":
            return
        conn.ensure_connection()
        if conn.connection is self.tuned:
            return
        conn.connection.execute("PRAGMA wal_autocheckpoint=0")
        self.tuned = conn.connection
        if self.checkpoints is None:
            self.checkpoints = threading.Thread(
                target=self._checkpoint, name="screening-wal-checkpoints", daemon=True
            )
            self.checkpoints.start()

    def _checkpoint(self) -> None:
        """Every CHECKPOINT_EVERY seconds, PASSIVE checkpoints on this thread's own connection: they never
        wait for a writer and writers never wait for them. The engine commits while one runs, so it is
        repeated (each pass copies only what was appended meanwhile, fewer pages each time) until the WAL
        was copied whole: only then does the next commit start the WAL over, which keeps it small."""
        while True:
            time.sleep(CHECKPOINT_EVERY)
            try:
                for _ in range(CHECKPOINT_PASSES):
                    _busy, frames, copied = checkpoint_wal()
                    if copied >= frames:
                        break
            except Exception:
                log.exception("screening gateway: a WAL checkpoint failed")

    def process(self, jobs: list[Job], observe_now: bool = False) -> list[Answer]:
        """Answer a group of requests; the audit records of the answered calls are committed first."""
        index = queries.current_index()  # one change-log cursor query for the group
        if index is not self.details.index and len(index) > FREEZE_INDEX_AT:
            # A new (re)built index: every full collection would walk its millions of set entries (133 ms
            # at 3 M measured, ~0.5 s at 10 M: a p99 spike); frozen, it and what the process holds now
            # are left alone.
            gc.freeze()
        self.details.follow(index)
        partners = partners_for_keys({j.key for j in jobs})
        answers: list[Answer | None] = [None] * len(jobs)
        waiting: dict[int, list[int]] = {}
        for i, job in enumerate(jobs):
            partner = partners.get(job.key)
            if partner is None:
                answers[i] = _error(PartnerKeyError())
            else:
                waiting.setdefault(partner.pk, []).append(i)
        go: list[tuple[int, Partner]] = []
        now = time.monotonic()
        count_now = observe_now or now - self.observed_at >= OBSERVE_EVERY
        # ONE transaction, so ONE commit, per group: every partner's counter, then (after the answers)
        # the group's audit records and the enumeration counts. A failure rolls all of it back and the
        # group is answered 500, uncounted and unaudited, as a call that never happened.
        with transaction.atomic():
            admitted = {pk: admit_calls(partners[jobs[p[0]].key], len(p)) for pk, p in waiting.items()}
            for pk, positions in waiting.items():
                partner = partners[jobs[positions[0]].key]
                allowed = admitted[pk]
                for n, i in enumerate(positions):
                    if n >= allowed:
                        answers[i] = _error(RateLimited())
                    elif partner.privacy_mode:
                        answers[i] = _error(PrivacyModeOnly())
                    else:
                        go.append((i, partner))
            self._prefetch([jobs[i] for i, _ in go], index)
            for i, partner in go:
                answers[i] = self._answer(jobs[i], partner, index)
            done = [a or _server_error() for a in answers]
            calls = [a.call for a in done if a.call is not None]
            # The enumeration detector counts at most every OBSERVE_EVERY seconds (shared counters, fed
            # with the sums of every call since); the audit records are written for every group.
            sample = enumeration.sample_size()
            pending = self.pending
            for call in calls:
                pending.setdefault(call.partner.pk, Observed(call.partner)).add(call, sample)
            audit_screening_many(calls, list(pending.values()) if count_now else [])
        if count_now:
            self.pending, self.observed_at = {}, now
        return done

    def _prefetch(self, jobs: list[Job], index: ScreeningIndex) -> None:
        """The details of the group's single-check hits in one query (not one per request)."""
        keys = []
        for job in jobs:
            if job.kind != "check":
                continue
            try:
                number = json.loads(job.body).get("id")
                key = normalise_subject(number) if isinstance(number, str) else ""
            except (ValueError, AttributeError, ServiceError):
                continue
            job.subject = key
            if key and index.mask_of(key):
                keys.append(key)
        if len(keys) > 1:
            self.details.get(keys)

    def _answer(self, job: Job, partner: Partner, index: ScreeningIndex) -> Answer:
        try:
            return _HANDLERS[job.kind](job, partner, index, self.details)
        except _Invalid as exc:
            return _invalid(exc.errors)
        except ServiceError as exc:
            return _error(exc)


def checkpoint_wal() -> tuple[int, int, int]:
    """One PASSIVE WAL checkpoint of the SQLite database on the calling thread's connection:
    (busy, frames in the WAL, frames copied into the database file)."""
    recycle_connection()
    with connections["default"].cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
        busy, frames, copied = cursor.fetchall()[0]  # fetched to the end: no read lock left behind
    return int(busy), int(frames), int(copied)


def _resolve(pairs: list[tuple[Any, Answer]]) -> None:
    for future, answer in pairs:
        if not future.done():
            future.set_result(answer)


# -- the ASGI layer -----------------------------------------------------------------------------------------
class ScreeningGateway:
    """Wraps the platform's HTTP ASGI app: the screening check and batch here, all else to Django."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.engine = Engine()
        self.inline = False  # tests: handle each request in the caller's thread (module docstring)

    def _mine(self, scope: dict[str, Any], headers: dict[str, str]) -> bool:
        """Only a request Django would serve the same way (host allowed, HTTPS when required)."""
        return scope.get("method") == "POST" and served_as_django_would(scope, headers)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        kind = PATHS.get(scope.get("path", "")) if scope["type"] == "http" else None
        if kind is None:
            await self.app(scope, receive, send)
            return
        headers = header_map(scope)
        if not self._mine(scope, headers):
            await self.app(scope, receive, send)
            return
        answer = await self._handle(kind, scope, receive, headers)
        await send(
            {
                "type": "http.response.start",
                "status": answer.status,
                "headers": [
                    (b"content-type", answer.content_type.encode()),
                    (b"content-length", str(len(answer.body)).encode()),
                    *SECURITY_HEADERS,
                    *answer.headers,
                ],
            }
        )
        await send({"type": "http.response.body", "body": answer.body})

    async def _handle(
        self, kind: str, scope: dict[str, Any], receive: Any, headers: dict[str, str]
    ) -> Answer:
        body, refused = await read_body(receive)
        if refused is not None:
            return _json(*refused)
        job = Job(
            kind=kind,
            key=headers.get("x-partner-key", ""),
            content_type=headers.get("content-type", ""),
            accept=headers.get("accept", ""),
            query=scope.get("query_string", b"").decode("latin-1"),
            body=body or b"",
        )
        if self.inline:
            return self.engine.process([job], observe_now=True)[0]
        loop = asyncio.get_running_loop()
        job.loop, job.future = loop, loop.create_future()
        self.engine.submit(job)
        answer: Answer = await job.future
        if answer.status >= 500:
            log.error("screening gateway answered %s", answer.status)
        return answer


# -- the API document: the gateway's operations, described as the ninja handlers were ----------------------
_CSV_TEXT = "position,mask,since,court,case_number：仅列命中与无效行（行号从1起）"
_BATCH_CONTENT = {
    "text/plain": {"schema": {"type": "string", "description": "每行一个身份号码或统一社会信用代码"}},
}


def openapi(components: dict[str, Any]) -> dict[str, Any]:
    """The gateway's paths for /api/openapi.json; their schemas are added to `components`."""
    from .schemas import BatchOut, CheckOut

    ref = "#/components/schemas/{model}"
    schemas = components.setdefault("schemas", {})

    def schema(model: Any) -> dict[str, Any]:
        out = model.model_json_schema(ref_template=ref)
        schemas.update(out.pop("$defs", {}))
        schemas[model.__name__] = out
        return {"$ref": ref.format(model=model.__name__)}

    batch_in = BatchIn.model_json_schema(ref_template=ref)
    common = {"tags": ["信用惩戒"], "security": [{"PartnerAuth": []}]}
    errors = {
        str(code): {"description": text}
        for code, text in [(401, "密钥无效或已吊销"), (403, "隐私模式单位"), (429, "超过每分钟调用上限")]
    }
    return {
        CHECK_PATH: {
            "post": {
                "operationId": "zhixing_credit_gateway_screening_check",
                "summary": "单人筛查",
                "requestBody": {
                    "required": True,
                    "content": {JSON_TYPE: {"schema": schema(CheckIn)}},
                },
                "responses": {
                    "200": {"description": "OK", "content": {JSON_TYPE: {"schema": schema(CheckOut)}}},
                    **errors,
                },
                **common,
            }
        },
        BATCH_PATH: {
            "post": {
                "operationId": "zhixing_credit_gateway_screening_batch",
                "summary": "批量筛查（最多10000个；JSON 或每行一个的文本）",
                "parameters": [
                    {
                        "in": "query",
                        "name": "details",
                        "required": False,
                        "schema": {"type": "integer", "default": 1},
                        "description": "0：紧凑格式不带法院与案号",
                    }
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        JSON_TYPE: {
                            "schema": {
                                "oneOf": [
                                    batch_in,
                                    {"type": "array", "items": {"type": "string"}, "maxItems": MAX_BATCH},
                                ]
                            }
                        },
                        **_BATCH_CONTENT,
                    },
                },
                "responses": {
                    "200": {
                        "description": "OK",
                        "content": {
                            JSON_TYPE: {"schema": schema(BatchOut)},
                            "text/csv": {
                                "schema": {
                                    "type": "string",
                                    "description": _CSV_TEXT,
                                }
                            },
                        },
                    },
                    **errors,
                },
                **common,
            }
        },
    }
