"""The screening journal (core/audit_journal.py, core/audit_journal_flush.py): the engine's audit records
on the server's disk first, appended to the audit chain later, each entry exactly once, with the time
of its calls, whatever crashes when."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from tests.credit.conftest import ADULT_ID, debtor, debtor_case, make_partner
from zhixing.core import audit, audit_journal, commit_flush
from zhixing.core.audit_journal import HEADER, Journal, read_segment, segments
from zhixing.core.audit_journal_flush import Flusher
from zhixing.core.models import AuditJournalMark, AuditRecord
from zhixing.credit import services
from zhixing.credit.gateway import Engine, Job

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 12, 7, 8, 30, tzinfo=UTC)


def _items(n: int, tag: str) -> list[dict[str, Any]]:
    return [
        {
            "action": "screening.check",
            "object_type": "Partner",
            "object_id": 7,
            "after": {"tag": f"{tag}-{i}"},
        }
        for i in range(n)
    ]


def _tags() -> list[str]:
    rows = AuditRecord.objects.filter(action="screening.check").order_by("pk")
    return [r.after["tag"] for r in rows]


def test_entries_reach_the_chain_in_order_with_the_time_of_their_calls(tmp_path: Path) -> None:
    journal = Journal(tmp_path)
    assert journal.append(T0, "", _items(2, "a")) == 1
    assert journal.append(T0 + timedelta(seconds=1), "", _items(3, "b")) == 2
    flusher = Flusher(tmp_path)
    assert flusher.flush() == 2
    assert _tags() == ["a-0", "a-1", "b-0", "b-1", "b-2"]
    times = list(
        AuditRecord.objects.filter(action="screening.check").order_by("pk").values_list("at", flat=True)
    )
    assert times == [T0, T0, T0 + timedelta(seconds=1), T0 + timedelta(seconds=1), T0 + timedelta(seconds=1)]
    assert AuditJournalMark.objects.get(journal=journal.id).seq == 2
    assert flusher.flush() == 0  # nothing new: nothing appended twice
    assert Flusher(tmp_path).flush() == 0  # a new flusher reads the mark, not its memory
    assert len(_tags()) == 5
    report = audit.verify_chain()
    assert report.ok, report


def test_a_second_flusher_never_appends_what_the_first_did(tmp_path: Path) -> None:
    journal = Journal(tmp_path)
    journal.append(T0, "", _items(1, "a"))
    first, second = Flusher(tmp_path), Flusher(tmp_path)
    assert first.flush() == 1
    journal.append(T0, "", _items(1, "b"))
    assert second.flush() == 1  # only b: the mark says a is done
    journal.append(T0, "", _items(1, "c"))
    assert first.flush() == 1  # its cursor is behind the mark now: it reads from the mark
    assert _tags() == ["a-0", "b-0", "c-0"]


def test_a_torn_entry_is_skipped_and_the_next_writer_goes_on_in_a_new_segment(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    journal = Journal(tmp_path)
    journal.append(T0, "", _items(1, "a"))
    journal.append(T0, "", _items(1, "b"))
    (segment,) = segments(journal.dir)
    with segment.open("ab") as f:  # a writer killed in the middle of its third entry
        f.write(HEADER.pack(500, 0, 3) + b'{"at":')
    journal.close()
    flusher = Flusher(tmp_path)
    assert flusher.flush() == 2  # the torn entry is still being written, as far as anyone can tell
    again = Journal(tmp_path)  # the engine started again: same directory, a new segment after entry 2
    assert again.dir == journal.dir and again.seq == 2
    again.append(T0, "", _items(1, "c"))
    assert [int(p.stem) for p in segments(again.dir)] == [1, 3]
    assert flusher.flush() == 1
    assert _tags() == ["a-0", "b-0", "c-0"]
    assert [int(p.stem) for p in segments(again.dir)] == [3]  # the first segment is wholly in the chain
    # Skipped bytes are never silent (a torn tail looks like damage from outside).
    (warning,) = [r for r in caplog.records if r.name == "zhixing.audit_journal"]
    assert f"{HEADER.size + 6} bytes after entry 2 not readable" in warning.getMessage()


def test_after_a_failed_write_the_next_entry_takes_a_new_number_in_a_new_segment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal = Journal(tmp_path)
    journal.append(T0, "", _items(1, "a"))

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(audit_journal.os, "fdatasync", full_disk)
    with pytest.raises(OSError):
        journal.append(T0, "", _items(1, "lost"))  # whole in the file, but its calls were answered 500
    monkeypatch.undo()
    assert journal.append(T0, "", _items(1, "b")) == 3
    assert [int(p.stem) for p in segments(journal.dir)] == [1, 3]
    Flusher(tmp_path).flush()
    # The unsynced entry may be appended (a record of calls whose answers were lost), never twice, and
    # never in place of the next one.
    assert _tags() == ["a-0", "lost-0", "b-0"]


def test_a_second_writer_on_the_same_data_directory_takes_a_journal_of_its_own(tmp_path: Path) -> None:
    first, second = Journal(tmp_path), Journal(tmp_path)
    assert first.dir != second.dir and first.id != second.id
    first.append(T0, "", _items(1, "a"))
    second.append(T0, "", _items(1, "b"))
    assert Flusher(tmp_path).flush() == 2
    assert sorted(_tags()) == ["a-0", "b-0"]


def test_a_writer_killed_at_any_moment_loses_no_entry_it_reported_written(tmp_path: Path) -> None:
    """A real crash: a process appending as fast as it can is killed with SIGKILL. Every entry whose
    append had returned (the engine answers only then) reaches the chain, exactly once."""
    src = Path(__file__).resolve().parents[2] / "src"
    writer = textwrap.dedent(
        f"""
        import sys
        from datetime import datetime, UTC
        from pathlib import Path
        from zhixing.core.audit_journal import Journal
        j = Journal(Path({str(tmp_path)!r}))
        for n in range(1, 1_000_000):
            j.append(datetime.now(UTC), "", [{{"action": "screening.check", "object_type": "Partner",
                     "object_id": 7, "after": {{"tag": f"w-{{n}}"}}}}])
            print(n, flush=True)
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", writer], stdout=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(src)}
    )
    assert proc.stdout is not None
    seen = 0
    for line in proc.stdout:
        seen = int(line)
        if seen >= 200:
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    Flusher(tmp_path).flush()
    tags = _tags()
    assert tags[:seen] == [f"w-{n}" for n in range(1, seen + 1)]
    assert len(tags) == len(set(tags))
    complete = [e.seq for p in segments(tmp_path / "0") for e, _ in read_segment(p)]
    assert len(tags) == len(complete) >= seen


def test_the_engine_answers_after_its_group_is_in_the_journal(people: dict[str, Any], tmp_path: Path) -> None:
    case = debtor_case(people["clerk"])
    services.restrict_consumption(people["judge"], case, debtor(case), items=[1, 9], bound_persons=[])
    _, key = make_partner("railway", "国铁集团")
    journal = Journal(tmp_path)
    engine = Engine(journal=journal)
    job = Job("check", key, "application/json", "", "", json.dumps({"id": ADULT_ID}).encode())
    before = AuditRecord.objects.filter(action="screening.check").count()
    answers = engine.process([job, job])
    assert [a.status for a in answers] == [200, 200]
    assert json.loads(answers[0].body)["restricted"] is True
    # Nothing in the chain yet: both records are in ONE journal entry, on disk.
    assert AuditRecord.objects.filter(action="screening.check").count() == before
    (segment,) = segments(journal.dir)
    ((entry, _),) = list(read_segment(segment))
    assert [i["action"] for i in entry.items] == ["screening.check", "screening.check"]
    assert Flusher(tmp_path).flush() == 1
    assert AuditRecord.objects.filter(action="screening.check").count() == before + 2
    assert audit.verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_full_segments_wholly_in_the_chain_are_deleted_after_the_chain_is_on_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Outside a test transaction, as the flusher process runs: on PostgreSQL its commits do not wait for
    the disk, and a segment is deleted only after one durable flush (`commit_flush.flush_commits`)."""
    monkeypatch.setattr(audit_journal, "SEGMENT_BYTES", 600)  # a few entries per segment
    journal = Journal(tmp_path)
    for n in range(12):
        journal.append(T0 + timedelta(seconds=n), "", _items(2, f"e{n}"))
    assert len(segments(journal.dir)) > 3
    flushes: list[str] = []
    real = commit_flush.flush_commits

    def counted(using: str = "default") -> None:
        flushes.append(using)
        real(using)

    monkeypatch.setattr(commit_flush, "flush_commits", counted)
    assert Flusher(tmp_path).flush() == 12
    assert _tags() == [f"e{n}-{i}" for n in range(12) for i in range(2)]
    assert segments(journal.dir) == [segments(journal.dir)[-1]]  # only the writer's own segment is left
    assert flushes == (["default"] if connection.vendor == "postgresql" else [])
    assert audit.verify_chain().ok


def test_a_stopping_flusher_whose_database_stays_down_leaves_the_entries_and_returns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zhixing.core import audit_journal_flush

    Journal(tmp_path).append(T0, "", _items(1, "kept"))
    tries: list[float] = []

    def down(self: Flusher) -> int:
        tries.append(1)
        raise OSError("connection refused")

    monkeypatch.setattr(Flusher, "flush", down)
    monkeypatch.setattr(audit_journal_flush, "LAST_PASS_TRIES", 2.5)
    slept: list[float] = []
    clock = iter(range(100))
    monkeypatch.setattr(audit_journal_flush.time, "monotonic", lambda: float(next(clock)))
    monkeypatch.setattr(audit_journal_flush.time, "sleep", slept.append)
    # parent=-1: the engine is gone, so this is the last pass; it failed, and is tried once a second
    # (never in a busy loop) until LAST_PASS_TRIES, then the flusher leaves.
    audit_journal_flush.run(tmp_path, parent=-1)
    assert slept == [1.0, 1.0, 1.0] and len(tries) == 4
    assert [e.seq for p in segments(tmp_path / "0") for e, _ in read_segment(p)] == [1]  # still there
