"""The audit journal's flusher: appends the journal's entries to the audit chain, in order, once each.

`core.audit_journal` says why the journal exists and what it guarantees. Here: every journal directory
under the root is read from its `AuditJournalMark`; each transaction locks the mark's row, appends the
next entries' records (`audit.append_entries`: each entry with the time of its calls, the run in one
INSERT) and moves the mark
past them, so a second flusher (an engine started again while the old one's flusher drains) waits for
the lock and then finds those entries done: never appended twice. Segments wholly behind the mark are
deleted after the commit (never the newest one, which its writer may still be appending to).

Run as a process of its own (`python -m zhixing.config.audit_journal_flusher`), started by the screening
engine's process for its journal (`credit.gateway.engine_process`): it appends at most a few
milliseconds behind the engine, and its CPU (hashing the chain, the INSERTs) is kept off the engine's
interpreter lock.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import signal
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from django.db import close_old_connections, connection, transaction

from . import audit, commit_flush
from .audit_journal import Entry, journal_id, read_segment, segments
from .models import AuditJournalMark

log = logging.getLogger("zhixing.audit_journal")

BATCH = 500  # entries per transaction
# Seconds between passes that found nothing new. Each pass that appends is one transaction (the mark's
# lock, the head's, one INSERT, two UPDATEs, a durable commit): passes every 5 ms cost PostgreSQL about
# 70–140 µs of CPU per screening call at 2,000 calls/s (benchmark, 7 Dec 2026); every 50 ms the records
# reach the chain at most ≈ 50 ms later, in fewer, larger INSERTs.
IDLE = 0.05
# Seconds a stopping flusher keeps trying a database that fails (its last pass) before it leaves the
# entries in the journal for the next start.
LAST_PASS_TRIES = 30.0


@dataclass
class Cursor:
    """Where the flusher stopped in a journal: after entry `seq`, at `offset` of `segment`."""

    seq: int
    segment: Path
    offset: int


class Flusher:
    """Moves every journal under `root` into the audit chain (`flush`); remembers where each stopped,
    so an idle pass costs a directory listing and a `stat` per journal, no database work."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.cursors: dict[Path, Cursor] = {}

    def journals(self) -> list[Path]:
        if not self.root.is_dir():
            return []
        return sorted((p for p in self.root.iterdir() if p.is_dir()), key=lambda p: p.name)

    def flush(self) -> int:
        """Append every complete entry not yet in the chain; how many entries were appended."""
        return sum(self._flush_journal(d) for d in self.journals())

    def _idle(self, directory: Path) -> bool:
        """Nothing new since the last pass: the newest segment is where the cursor stopped."""
        cursor = self.cursors.get(directory)
        if cursor is None:
            return False
        files = segments(directory)
        if not files or files[-1] != cursor.segment:
            return not files
        with contextlib.suppress(OSError):
            return files[-1].stat().st_size <= cursor.offset
        return False

    def _flush_journal(self, directory: Path) -> int:
        if self._idle(directory):
            return 0
        if not (directory / "journal-id").exists():
            return 0
        jid = journal_id(directory)
        moved = 0
        late = commit_flush.flushes_late()
        while True:
            with transaction.atomic():
                if late:
                    # The journal is the durable copy: this commit need not wait for the disk (one
                    # fdatasync of PostgreSQL's WAL less per pass, beside the engine's own). Records and
                    # mark are lost or kept together; the segments are deleted only after a flush.
                    commit_flush.commit_without_flush()
                mark, _ = AuditJournalMark.objects.select_for_update().get_or_create(journal=jid)
                entries, cursor = self._after(directory, mark.seq)
                audit.append_entries([(e.at, e.chain, e.items) for e in entries])
                if entries:
                    mark.seq = entries[-1].seq
                    mark.save(update_fields=["seq", "moved_at"])
            if cursor is not None:
                self.cursors[directory] = cursor
            moved += len(entries)
            if len(entries) < BATCH:
                break
        if len(segments(directory)) > 1:  # a segment may be wholly in the chain: on disk first
            if late:
                commit_flush.flush_commits()
            _prune(directory, mark.seq)
        return moved

    def _after(self, directory: Path, done: int) -> tuple[list[Entry], Cursor | None]:
        """Up to BATCH complete entries after entry `done`, in order, and the cursor after them."""
        files = segments(directory)
        if not files:
            return [], None
        cursor = self.cursors.get(directory)
        if cursor is not None and cursor.seq == done and cursor.segment in files:
            start, offset = files.index(cursor.segment), cursor.offset
        else:  # first pass, or another flusher moved the mark: find the segment holding `done + 1`
            start = max((i for i, f in enumerate(files) if int(f.stem) <= done + 1), default=0)
            offset = 0
        found: list[Entry] = []
        end = Cursor(done, files[start], offset)
        for i in range(start, len(files)):
            if i > start:
                offset = 0
            end = Cursor(end.seq, files[i], offset)
            for entry, after in read_segment(files[i], offset):
                end.offset = after
                if entry.seq <= done:
                    continue
                found.append(entry)
                end.seq = entry.seq
                if len(found) >= BATCH:
                    return found, end
            # The segment's complete entries are read; what follows in it is still being written (the
            # newest segment) or, when a newer one exists, torn: its writer stopped mid-entry (a crash,
            # never answered) — or the disk damaged it, which nobody must miss: it is logged.
            if i < len(files) - 1:
                with contextlib.suppress(OSError):
                    left = files[i].stat().st_size - end.offset
                    if left > 0:
                        log.warning(
                            "audit journal %s: %d bytes after entry %d not readable, skipped "
                            "(a writer stopped mid-entry, or damage)",
                            files[i],
                            left,
                            end.seq,
                        )
        return found, end


def _prune(directory: Path, done: int) -> None:
    """Delete the segments whose every entry is in the chain, except the newest (its writer's)."""
    files = segments(directory)
    for older, newer in itertools.pairwise(files):
        if int(newer.stem) - 1 <= done:
            with contextlib.suppress(FileNotFoundError):
                older.unlink()


def run(root: Path, *, idle: float = IDLE, parent: int | None = None) -> None:
    """Flush `root`'s journals every `idle` seconds until told to stop (SIGTERM: the engine stopping)
    or the parent process (the engine) is gone; then once more, and return. A failing pass (the database
    restarting) is logged and tried again after a second."""
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())
    flusher = Flusher(root)
    failing_since: float | None = None
    while True:
        last = stop.is_set() or (parent is not None and os.getppid() != parent)
        try:
            moved = flusher.flush()
        except Exception:
            log.exception("audit journal: appending to the audit chain failed; trying again")
            with contextlib.suppress(Exception):
                connection.close()
            flusher.cursors.clear()
            now = time.monotonic()
            failing_since = failing_since if failing_since is not None else now
            if last and now - failing_since >= LAST_PASS_TRIES:
                # Stopping, and the database stays unreachable: the entries stay in the journal on
                # disk, and the next engine's flusher appends them (never lost, never twice: the mark).
                log.error("audit journal: stopping with entries not yet in the audit chain; kept in %s", root)
                return
            time.sleep(1.0)  # not stop.wait: once stopping, it would return at once (a busy loop)
            continue
        failing_since = None
        if last:
            return
        if not moved:
            close_old_connections()
        stop.wait(idle)  # `flush` appended everything complete: the next entries come in `idle`
