"""A journal of audit records on the server's own disk, appended to the audit chain later.

Why (docs/adr/0014-screening-gateway.md, "The screening journal"): on the documented deployment the
screening engine's every group of answers waited for its audit records' transaction on PostgreSQL —
three round trips, the INSERT, the commit and its WAL flush — before any answer left: about 2 ms of a
group's 3.8 ms, most of the check's latency. The engine now writes the group's records as ONE entry
of this journal (one `write` and one `fdatasync` of a local file: ≈ 0.1 ms on the benchmark machine)
and answers; the journal's flusher (`audit_journal_flush`, a process of its own) appends the entries to
the chain in order, each with the time of its calls, and moves the journal's `AuditJournalMark` in the
same transaction, so each entry is appended exactly once.

**Every answered call is audited, whatever crashes when.** An answer leaves only after its entry's
`fdatasync` returned: the entry is on disk. A crash of the engine before that loses an entry that was
never (completely) written, whose calls were never answered; the torn bytes are skipped (a length and a
CRC guard each entry) and the next writer starts a new segment. A crash of the flusher, of PostgreSQL or
of the machine loses no entry: the flusher starts again from the mark, which moved only with the
records it counts. What the journal does not survive is the loss of the server's disk before the
flusher caught up (normally a few milliseconds behind): the same as a database server losing its disk.

Layout: ``ROOT/<n>/`` is one journal, written by one engine at a time (an exclusive `flock` on its
``writer.lock``; a second engine on the same data directory takes the next free ``<n>``); its
``journal-id`` names its `AuditJournalMark`; its entries are in segment files named by the first entry's
sequence number (``00000000000000000001.log``), a new one per writer and past `SEGMENT_BYTES`. An entry
is a header (payload length, CRC-32 of the payload, sequence number) and a JSON payload: the time of the
calls, the chain and the records (`audit.append_many` items).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import struct
import uuid
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

HEADER = struct.Struct("<IIQ")  # payload length, CRC-32 of the payload, sequence number
SEGMENT_BYTES = 64 << 20
SUFFIX = ".log"


@dataclass(frozen=True)
class Entry:
    """One journal entry: the records of one group of calls, all made at `at`, for `chain`."""

    seq: int
    at: datetime
    chain: str
    items: list[dict[str, Any]]


def segments(directory: Path) -> list[Path]:
    """The journal's segment files, oldest first (by the sequence number that names them)."""
    return sorted(directory.glob(f"*{SUFFIX}"), key=lambda p: int(p.stem))


def read_segment(path: Path, offset: int = 0) -> Iterator[tuple[Entry, int]]:
    """The complete entries of a segment from `offset`, each with the offset just after it; stops at
    the first incomplete or damaged one (being written, or torn by a writer's crash)."""
    with path.open("rb") as f:
        f.seek(offset)
        data = f.read()
    pos = 0
    while pos + HEADER.size <= len(data):
        size, crc, seq = HEADER.unpack_from(data, pos)
        start, end = pos + HEADER.size, pos + HEADER.size + size
        if end > len(data) or zlib.crc32(data[start:end]) != crc:
            return
        body = json.loads(data[start:end])
        yield Entry(seq, datetime.fromisoformat(body["at"]), body["chain"], body["items"]), offset + end
        pos = end


def journal_id(directory: Path) -> str:
    """The journal's name (its `AuditJournalMark`), made once, kept in the directory."""
    path = directory / "journal-id"
    if not path.exists():
        tmp = directory / f"journal-id.{os.getpid()}"
        tmp.write_text(uuid.uuid4().hex)
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)  # atomic: two processes creating it agree on one name
        tmp.unlink()
    return path.read_text().strip()


class Journal:
    """The writing end: one writer per journal directory, held for the writer's life."""

    def __init__(self, root: Path, *, sync: bool = True) -> None:
        root.mkdir(parents=True, exist_ok=True)
        self.sync = sync
        n = 0
        while True:
            directory = root / str(n)
            directory.mkdir(exist_ok=True)
            lock = os.open(directory / "writer.lock", os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                os.close(lock)
                n += 1
        self.lock, self.dir = lock, directory
        self.id = journal_id(directory)
        self.seq = self._last_seq()
        self.fd = -1
        self.broken = False
        self._open_segment()

    def _last_seq(self) -> int:
        """The last complete entry's number (0 for a new journal): the next writer goes on after it."""
        files = segments(self.dir)
        if not files:
            return 0
        last = int(files[-1].stem) - 1
        for entry, _ in read_segment(files[-1]):
            last = entry.seq
        return last

    def _open_segment(self) -> None:
        """A new segment for the entries from `seq + 1`; an earlier writer's torn tail stays behind in
        its own segment, where the flusher skips it. An empty or torn-only segment of the same number
        (a writer that crashed before its first complete entry) is started over."""
        if self.fd >= 0:
            os.close(self.fd)
        path = self.dir / f"{self.seq + 1:020d}{SUFFIX}"
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o600)
        self.size = 0
        if self.sync:  # the new file's name is on disk before an entry in it is relied on
            dfd = os.open(self.dir, os.O_RDONLY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)

    def append(self, at: datetime, chain: str, items: list[dict[str, Any]]) -> int:
        """Write one entry and wait until it is on disk; its sequence number. Raises on any I/O
        error (the caller answers none of the entry's calls)."""
        payload = json.dumps(
            {"at": at.isoformat(), "chain": chain, "items": items},
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode()
        if self.broken or (self.size and self.size + HEADER.size + len(payload) > SEGMENT_BYTES):
            self._open_segment()
            self.broken = False
        seq = self.seq + 1
        data = HEADER.pack(len(payload), zlib.crc32(payload), seq) + payload
        # The number is used whatever happens next: after a failed write or sync the entry may be torn,
        # or whole but not known to be on disk (its calls are answered 500); the next entry goes into a
        # new segment under the next number, never after damaged bytes (the flusher stops at those)
        # nor under a number an entry may already have.
        self.seq = seq
        try:
            written = os.write(self.fd, data)
            if written != len(data):  # a full disk: a short write leaves a torn entry
                raise OSError(f"screening journal: wrote {written} of {len(data)} bytes")
            if self.sync:
                os.fdatasync(self.fd)
        except BaseException:
            self.broken = True
            raise
        self.size += len(data)
        return seq

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
        os.close(self.lock)
