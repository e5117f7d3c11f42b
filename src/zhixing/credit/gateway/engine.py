"""The engine: it takes the screening requests and answers them in groups (one per server: a thread of the
process, or the engine's own process under `zhixing.config.server`, engine_process.py).

Per group: ONE statement for the change log's cursor (the index and the detail cache follow the log)
and the partners of all keys (`services.partners.screening_state`), one counter update per partner,
the answers, then the audit records of the whole group, all in ONE transaction (one commit). Only when
it has committed are the group's answers sent: an answered call always has its audit record (group
commit); a crash before the commit loses only calls that were never answered.

On PostgreSQL the group's transaction commits without waiting for the disk (``synchronous_commit = off``
for it alone), which releases the audit chain head's row lock at once; the engine then waits, on the
same connection and outside every lock, for one durable commit that flushes the WAL past the group's
(`core.commit_flush`), and only then are the answers sent. So the other worker's group takes the chain
while this one waits for the disk, and their waits share one flush; an answered call is still on disk
(`core.commit_flush`: why a crash before the flush loses only unanswered calls and the chain records
after them, never a record an answer relied on). SQLite keeps its commit (no flush wait there).

In its own process on the documented deployment (PostgreSQL, limits in Redis) the engine writes no
audit row itself: a group's records are ONE entry of the screening journal on the server's disk, synced
before the answers leave, and the journal's flusher process appends them to the chain (`_journaled`,
`core.audit_journal`; docs/adr/0014-screening-gateway.md, "The screening journal").
"""

from __future__ import annotations

import contextlib
import gc
import logging
import queue
import threading
import time
from datetime import date
from typing import Any

from django.core.cache.backends.db import DatabaseCache
from django.db import connections, transaction
from django.utils import timezone

from zhixing.core import commit_flush
from zhixing.core.audit import PLATFORM_CHAIN
from zhixing.core.audit_journal import Journal
from zhixing.core.errors import ServiceError
from zhixing.core.pool_connections import recycle_connection
from zhixing.core.ratelimit import Leases, RateLimited, store

from .. import queries
from ..api_screening import PartnerKeyError, PrivacyModeOnly
from ..models import Partner
from ..screening import ScreeningIndex
from ..services import enumeration
from ..services.partners import (
    Observed,
    ScreeningCall,
    admit_calls,
    audit_screening_durably,
    audit_screening_many,
    screening_items,
    screening_state,
)
from .answers import HANDLERS, prepare_check
from .clock import LocalDay
from .details import DetailCache
from .state_watch import ScreeningState
from .wire import Answer, Invalid, Job, error_answer, invalid_answer, server_error

MAX_GROUP = 512  # requests handled (and audited) together at most
# Seconds a group waits, from its first request's arrival, for others to share its costs. In its own
# process (engine_process) the engine no longer shares an interpreter lock with the event loop: at
# 2,000 checks/s on 1 M persons the p99 was 5.9–6.9 ms with 1 ms, 3.9 ms with 0.5 ms (groups still
# share the fixed cost: 420 µs a check against 590 with no linger at all), 5.2–5.3 ms with 0.25 ms.
LINGER = 0.0005
# The journaled engine's linger (the documented deployment, `engine_process`): its group costs far less
# (no statement, no Redis count, one `fdatasync`: `state_watch`, `Leases`), so less company is worth
# waiting for. Six alternating 10 s runs at 2,000 checks/s on 1 M persons, two web workers: p99 3.5–5.2
# ms (p50 1.2–1.4) at 0.25 ms against 4.8–6.2 ms (p50 1.6–1.7) at 0.5 ms, 334–411 against 311–368 µs of
# server CPU a check. `make run`'s launcher on SQLite keeps LINGER (its group still commits).
LINGER_JOURNALED = 0.00025
CHECKPOINT_EVERY = 0.25  # seconds between the SQLite WAL checkpoints of the engine's own thread
CHECKPOINT_PASSES = 8  # PASSIVE passes at most to copy the WAL whole (each copies what came meanwhile)
# Seconds between the enumeration detector's counts (one per partner, its window is minutes long): a
# group that counts takes about twice as long as one that does not, so at 0.1 s one group in fifty at
# 2,000 checks/s was slow, and its requests made the p99; a second delays an alert by at most a second.
OBSERVE_EVERY = 1.0
FREEZE_INDEX_AT = 100_000  # subjects: a bigger index is frozen out of the garbage collector's walks

log = logging.getLogger("django.request")


class Engine:
    """Handles queued requests in groups (see the module docstring); one per process."""

    def __init__(self, journal: Journal | None = None, state: ScreeningState | None = None) -> None:
        # The engine's own process on the documented deployment keeps the audit records in a journal
        # on the server's disk first (`core.audit_journal`; `engine_process.open_journal`), keeps the
        # partners and the change log's cursor until told they changed (`state_watch`), and counts the
        # limits in leases (`core.ratelimit.Leases`: its counts in Redis are outside any transaction).
        self.journal = journal
        self.state = state
        self.leases = Leases() if journal is not None else None
        self.queue: queue.SimpleQueue[Job] = queue.SimpleQueue()
        self.details = DetailCache()
        self.pending: dict[int, Observed] = {}  # calls not yet counted by the enumeration detector
        self.observed_at = 0.0
        self.thread: threading.Thread | None = None
        self.start_lock = threading.Lock()
        self.tuned: Any = None  # the SQLite connection told not to checkpoint (_no_checkpoints)
        self.checkpoints: threading.Thread | None = None
        self.today = LocalDay()  # the local date, converted once per local day (clock.py)

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

        A group's fixed cost (change-log cursor and partners, counters, the audit transaction and its
        commit: ~300 µs of CPU) is shared by its requests. Taken the moment the first one arrives, a
        group at 2,000 checks/s held 1–2 requests and the fixed cost alone kept the server near
        saturation; so it waits up to LINGER for company (never once the first request has waited that
        long), as a database's commit delay does. At low load that adds at most LINGER to an answer.

        The thread sleeps through the linger and then takes everything queued: waiting on the queue
        instead woke it (a thread switch and a GIL hand-over with the event loop) for every request
        that arrived meanwhile.
        """
        jobs = [self.queue.get()]
        wait = jobs[0].queued_at + LINGER - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        get = self.queue.get_nowait
        while len(jobs) < MAX_GROUP:
            try:
                jobs.append(get())
            except queue.Empty:
                break
        return jobs

    def _run(self) -> None:
        while True:
            self.answer(self.take())

    def answer(self, jobs: list[Job]) -> None:
        """Handle a group and hand each answer to whoever waits for it: the event loop that queued the
        request, or the web worker's connection (`engine_process.Peer.deliver`)."""
        answers = self.handle(jobs)
        by_loop: dict[Any, list[tuple[Any, Answer]]] = {}
        for job, answer in zip(jobs, answers, strict=True):
            by_loop.setdefault(job.loop, []).append((job.future, answer))
        for loop, pairs in by_loop.items():
            deliver = getattr(loop, "deliver", None)
            if deliver is not None:  # a web worker's connection to the engine's process (engine_process)
                deliver(pairs)
                continue
            # A closed loop: the server is shutting down, nobody waits for these answers.
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(_resolve, pairs)

    def handle(self, jobs: list[Job]) -> list[Answer]:
        """One group's answers, ready to send (committed, and on PostgreSQL flushed); a group that
        failed anywhere (its transaction, or the flush after it) is answered 500 for every request."""
        try:
            recycle_connection()
            self._no_checkpoints()
            answers = self.process(jobs)
        except Exception:
            log.exception("screening gateway: a group of %d requests failed", len(jobs))
            answers = [server_error() for _ in jobs]
        try:
            recycle_connection()
        except Exception:
            log.exception("screening gateway: closing a broken connection failed")
        return answers

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
        # ONE statement for the group: the change log's cursor (the index and the detail cache follow
        # the log) and the partners of every key in it; in the engine's process on PostgreSQL, kept
        # until a notice says they changed (`state_watch`: no statement at all for most groups).
        keys = {j.key for j in jobs}
        cursor, partners = self.state.read(keys) if self.state is not None else screening_state(keys)
        index = queries.index_at(cursor)
        if index is not self.details.index and len(index) > FREEZE_INDEX_AT:
            # A new (re)built index: every full collection would walk its millions of set entries (133 ms
            # at 3 M measured, ~0.5 s at 10 M: a p99 spike); frozen, it and what the process holds now
            # are left alone.
            gc.freeze()
        today = self.today()  # once per group: the detail cache's day and the checks' birth dates
        self.details.follow(index, today)
        now = time.monotonic()
        count_now = observe_now or now - self.observed_at >= OBSERVE_EVERY
        # PostgreSQL: the group's transaction commits without the disk wait (the audit chain's lock
        # released at once) and is flushed after it, before any answer is returned (core.commit_flush).
        if self.journal is not None:
            return self._journaled(jobs, partners, index, today, count_now, now)
        flush_late = commit_flush.flushes_late()
        if flush_late and not count_now and commit_flush.pipelines() and not _limits_in_database():
            # The usual group on the documented deployment: nothing to write but the audit records (the
            # limits count in Redis, the enumeration detector's turn has not come), written, committed
            # and flushed in one round trip (`audit_screening_durably`; two when the chain's head moved).
            done = self._answer_all(jobs, partners, index, today)
            calls = [a.call for a in done if a.call is not None]
            if not audit_screening_durably(calls):
                with transaction.atomic():  # the platform chain's first record (creates its head row)
                    audit_screening_many(calls, [])
            self._pending(calls)
            return done
        # ONE transaction, so ONE commit, per group: every partner's counter, then (after the answers)
        # the group's audit records and the enumeration counts. A failure rolls all of it back and the
        # group is answered 500, uncounted and unaudited, as a call that never happened.
        with transaction.atomic():
            if flush_late:
                commit_flush.commit_without_flush()
            done = self._answer_all(jobs, partners, index, today)
            calls = [a.call for a in done if a.call is not None]
            # The enumeration detector counts at most every OBSERVE_EVERY seconds (shared counters, fed
            # with the sums of every call since); the audit records are written for every group.
            self._pending(calls)
            audit_screening_many(calls, list(self.pending.values()) if count_now else [])
        if count_now:
            self.pending, self.observed_at = {}, now  # committed (counted), whatever the flush does
        if flush_late:
            # No answer leaves before its audit record is on disk. A failed flush raises: the group is
            # answered 500 (its records committed, maybe not durable: calls whose answers were lost).
            commit_flush.flush_commits()
        return done

    def _journaled(
        self,
        jobs: list[Job],
        partners: dict[str, Partner],
        index: ScreeningIndex,
        today: date,
        count_now: bool,
        now: float,
    ) -> list[Answer]:
        """A group on the documented deployment: the answers, then the group's audit records as ONE
        journal entry, on the server's disk before this returns (`core.audit_journal`: its flusher
        appends them to the chain, in order, with this moment as their time). The limits count in
        Redis; when the enumeration detector's turn has come it counts outside any transaction, as
        `enumeration.observe` asks (its counters are the shared store's, never rolled back)."""
        journal = self.journal
        assert journal is not None
        at = timezone.now()
        done = self._answer_all(jobs, partners, index, today)
        calls = [a.call for a in done if a.call is not None]
        self._pending(calls)
        if count_now:
            for o in self.pending.values():
                enumeration.observe(o.partner, o.asked, o.hits, o.ids)
            self.pending, self.observed_at = {}, now
        if calls:
            journal.append(at, PLATFORM_CHAIN, screening_items(calls))
        return done

    def _answer_all(
        self, jobs: list[Job], partners: dict[str, Partner], index: ScreeningIndex, today: date
    ) -> list[Answer]:
        """Every request's answer: unknown key (401), each partner's calls counted against its limit at
        once (429 past it), privacy mode (403), else the check's or batch's answer."""
        answers: list[Answer | None] = [None] * len(jobs)
        waiting: dict[int, list[int]] = {}
        for i, job in enumerate(jobs):
            partner = partners.get(job.key)
            if partner is None:
                answers[i] = error_answer(PartnerKeyError())
            else:
                waiting.setdefault(partner.pk, []).append(i)
        go: list[tuple[int, Partner]] = []
        leases = self.leases
        admitted = {pk: admit_calls(partners[jobs[p[0]].key], len(p), leases) for pk, p in waiting.items()}
        for pk, positions in waiting.items():
            partner = partners[jobs[positions[0]].key]
            allowed = admitted[pk]
            for n, i in enumerate(positions):
                if n >= allowed:
                    answers[i] = error_answer(RateLimited())
                elif partner.privacy_mode:
                    answers[i] = error_answer(PrivacyModeOnly())
                else:
                    go.append((i, partner))
        self._prefetch([jobs[i] for i, _ in go], index, today)
        for i, partner in go:
            answers[i] = self._answer(jobs[i], partner, index)
        return [a or server_error() for a in answers]

    def _pending(self, calls: list[ScreeningCall]) -> None:
        """Add the calls to what the enumeration detector counts at its next turn (sums, recent IDs)."""
        sample = enumeration.sample_size()
        pending = self.pending
        for call in calls:
            pending.setdefault(call.partner.pk, Observed(call.partner)).add(call, sample)

    def _prefetch(self, jobs: list[Job], index: ScreeningIndex, today: date) -> None:
        """Parse the group's single checks once, and read the details of their hits in one query (not
        one per request)."""
        keys = []
        for job in jobs:
            if job.kind != "check":
                continue
            prepare_check(job, today)
            if job.subject and index.mask_of(job.subject):
                keys.append(job.subject)
        if len(keys) > 1:
            self.details.get(keys)

    def _answer(self, job: Job, partner: Partner, index: ScreeningIndex) -> Answer:
        try:
            return HANDLERS[job.kind](job, partner, index, self.details)
        except Invalid as exc:
            return invalid_answer(exc.errors)
        except ServiceError as exc:
            return error_answer(exc)


def checkpoint_wal() -> tuple[int, int, int]:
    """One PASSIVE WAL checkpoint of the SQLite database on the calling thread's connection:
    (busy, frames in the WAL, frames copied into the database file)."""
    recycle_connection()
    with connections["default"].cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
        busy, frames, copied = cursor.fetchall()[0]  # fetched to the end: no read lock left behind
    return int(busy), int(frames), int(copied)


def _limits_in_database() -> bool:
    """The rate limits count in the database (no Redis configured): their writes belong to the group's
    transaction, so the group takes the ORM's path."""
    return isinstance(store(), DatabaseCache)


def _resolve(pairs: list[tuple[Any, Answer]]) -> None:
    for future, answer in pairs:
        if not future.done():
            future.set_result(answer)
