"""Importing statements and travel records for one debtor: validate every row, store, de-duplicate.

`create_import` checks permission and the file as a whole (encoding, header, columns) and stores the
upload; `run_import` (a Huey task or the `import_statement` command) validates each row. In strict
mode a file with any bad row is rejected whole with row numbers and reasons; in quarantine mode bad
rows are stored in `QuarantinedRow` and listed. Duplicate lines (`dedup.py`: the same line of an
overlapping file, or a line the file lists twice under one transaction id and time) are stored, linked to
the line they repeat, left out of the indicators, and every decision is kept with its reason on the job.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from zhixing.core import audit, work
from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.courts.roles import Cap

from .. import readers, store, tables
from ..models import ImportJob, QuarantinedRow, StatementPreset, TravelRecord
from ..params import check_day
from ..parsing import (
    FileError,
    FileRefused,
    RowError,
    Statement,
    clean,
    parse_decimal,
    parse_when,
    read_statement,
)
from ..presets import TRAVEL_COLUMNS, TRAVEL_KINDS
from ..queries import DebtorRef, allowed, rate_table
from ..queries import preset as usable_preset
from . import columnar_rows, import_queue, statement_rows
from .import_checks import Read, shape_check, totals_check
from .snapshots import rebuild_snapshot

PROGRESS_EVERY = 1000
IMPORT_REFUSED = "只有本案所在法院负责流水分析的工作人员可以导入数据"


def statement_max_rows() -> int:
    """The most rows one statement file may hold (`settings.ZHIXING_STATEMENT_MAX_ROWS`): the preview
    and the import read it whole, and stop with a FileRefused past it."""
    return int(settings.ZHIXING_STATEMENT_MAX_ROWS)


def _travel_rows(data: bytes) -> list[list[str]]:
    """The rows of a travel-record CSV (UTF-8), within the statement row limit; FileError when it is not
    UTF-8, FileRefused when too long or a field is over the CSV limit."""
    return readers.bounded(readers.csv_rows(data, "utf-8-sig", ","), statement_max_rows())


def _count_travel(data: bytes) -> int:
    try:
        rows = _travel_rows(data)
    except FileRefused as exc:
        raise ServiceError(f"出行记录文件无法导入：{exc}", field="file") from None
    except FileError:
        raise ServiceError("出行记录文件须为 UTF-8 编码", field="file") from None
    if not rows or [clean(c) for c in rows[0]][: len(TRAVEL_COLUMNS)] != TRAVEL_COLUMNS:
        raise ServiceError("出行记录表头应为：" + ",".join(TRAVEL_COLUMNS), field="file")
    return sum(1 for r in rows[1:] if any(clean(c) for c in r))


def create_import(
    user: Any,
    ref: DebtorRef,
    *,
    kind: str,
    file_name: str,
    data: bytes,
    preset: StatementPreset | None = None,
    mode: str = ImportJob.Mode.STRICT,
    period_start: date | None = None,
    period_end: date | None = None,
) -> ImportJob:
    """Check permission and the file as a whole, keep the upload, and queue the job.

    `period_start`/`period_end` (both or neither) is the statement period; a layout reading dates
    without a year needs it unless the file states it (the layout's `period_pattern`).
    """
    if not allowed(user, ref, Cap.ANALYTICS_IMPORT):
        raise NotPermitted(IMPORT_REFUSED)
    if not data:
        raise ServiceError("文件为空", field="file")
    if kind == ImportJob.Kind.STATEMENT:
        if preset is None:
            raise ServiceError("请选择版式预设", field="preset")
        if usable_preset(user, preset.pk) is None:  # another court's own layout is not usable
            raise ServiceError("版式预设不存在", field="preset")
        period = _period(period_start, period_end)
        digest = hashlib.sha256(data).hexdigest()
        try:
            statement = read_statement(data, preset, period, max_rows=statement_max_rows())
        except FileError as exc:
            field = "period_start" if "账单起止日期" in str(exc) else "file"
            raise ServiceError(f"文件无法按“{preset.name}”读取：{exc}", field=field) from None
        total = len(statement.table.body)
        _keep_read(digest, preset, period, statement)
    else:
        total = _count_travel(data)
        digest = hashlib.sha256(data).hexdigest()
    path = store.root() / "uploads" / f"{digest}.bin"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    with transaction.atomic():
        job = ImportJob.objects.create(
            party=ref.party,
            court=ref.case.court,
            kind=kind,
            preset=preset if kind == "statement" else None,
            mode=mode,
            file_name=file_name[:200],
            file_path=str(path),
            sha256=digest,
            total_rows=total,
            created_by=user,
            period_start=period_start if kind == "statement" else None,
            period_end=period_end if kind == "statement" else None,
        )
        audit.record(
            user,
            "analytics.import.create",
            object_type="ImportJob",
            object_id=job.pk,
            case_id=ref.case.pk,
            after={"file": file_name, "sha256": digest, "rows": total, "kind": kind},
        )
        work.due(import_queue.IMPORT_DUE, job.pk)  # a consumer runs it; the sweep if that is lost
    return job


# The statement `create_import` has just read, for `run_import` of the same job when it runs in the
# same process (the upload's immediate run, a batch, the benchmark): the file is parsed once. Keyed
# by the file's digest, every layout field and the period, so a changed layout or another file reads
# afresh; one entry, taken (removed) by the run that uses it. A run in another process reads the file.
_LAST_READ: dict[tuple[Any, ...], Statement] = {}


def _read_key(digest: str, preset: StatementPreset, period: tuple[date, date] | None) -> tuple[Any, ...]:
    layout = tuple(repr(getattr(preset, f.attname)) for f in preset._meta.concrete_fields)
    return (digest, layout, period)


def _keep_read(
    digest: str, preset: StatementPreset, period: tuple[date, date] | None, statement: Statement
) -> None:
    _LAST_READ.clear()
    _LAST_READ[_read_key(digest, preset, period)] = statement


def _statement(job: ImportJob, data: bytes) -> Statement:
    """The job's file read under its layout: the read `create_import` kept, else read now."""
    assert job.preset is not None
    period = _period(job.period_start, job.period_end)
    kept = _LAST_READ.pop(_read_key(job.sha256, job.preset, period), None)
    if kept is not None and hashlib.sha256(data).hexdigest() == job.sha256:
        return kept
    return read_statement(data, job.preset, period, max_rows=statement_max_rows())


def _period(start: date | None, end: date | None) -> tuple[date, date] | None:
    if start is None and end is None:
        return None
    if start is None or end is None:
        raise ServiceError(
            "账单期间须同时填写起始日与终止日", field="period_start" if start is None else "period_end"
        )
    if end < start:
        raise ServiceError("账单终止日早于起始日", field="period_end")
    # Year-less dates are placed by trying each year of the period, and the period's days become local
    # times: a period reaching year 1 or 9999 tries thousands of years or overflows.
    return check_day(start, "period_start", "账单起始日"), check_day(end, "period_end", "账单终止日")


def _tick(job: ImportJob, n: int, progress: Callable[[int], None] | None) -> None:
    if n % PROGRESS_EVERY == 0:  # progress only, no business data; the lease is renewed with it
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=n, lease_until=import_queue.lease_end())
    if progress:
        progress(1)


def _travel_lines(data: bytes) -> list[tuple[int, list[str], dict[str, Any] | None, str]]:
    rows = _travel_rows(data)
    out: list[tuple[int, list[str], dict[str, Any] | None, str]] = []
    for i, row in enumerate(rows[1:], start=2):
        if not any(clean(c) for c in row):
            continue
        cell = dict(zip(TRAVEL_COLUMNS, [*row, *[""] * len(TRAVEL_COLUMNS)], strict=False))
        try:
            kind = TRAVEL_KINDS.get(clean(cell["类型"]).lower())
            if not kind:
                raise RowError(f"“类型”应为航班、火车或酒店：{cell['类型']!r}")
            start = timezone.make_aware(parse_when(cell["开始时间"], None, "开始时间"))
            end = timezone.make_aware(parse_when(cell["结束时间"], None, "结束时间"))
            if end < start:
                raise RowError("“结束时间”早于“开始时间”")
            rec = {
                "kind": kind,
                "start_at": start,
                "end_at": end,
                "origin": clean(cell["出发地"])[:64],
                "destination": clean(cell["目的地"])[:64],
                "carrier": clean(cell["航班车次或酒店"])[:128],
                "seat_class": clean(cell["舱位座席或星级"])[:32],
                "amount": parse_decimal(cell["金额"], "金额"),
                "country": clean(cell["国家或地区"]) or "中国",
            }
            out.append((i, row, rec, ""))
        except RowError as exc:
            out.append((i, row, None, str(exc)))
    return out


def run_import(job_id: int, progress: Callable[[int], None] | None = None) -> ImportJob:
    """Validate every row and store the job's data (or reject it whole); idempotent per job."""
    job = ImportJob.objects.select_related("preset", "created_by", "court").get(pk=job_id)
    if job.status not in (ImportJob.Status.PENDING, ImportJob.Status.RUNNING):
        return job
    if not _still_allowed(job):
        return _refuse(job)
    if not import_queue.claim(job.pk):
        return job  # another consumer holds it (its lease has not run out)
    data = open(job.file_path, "rb").read()  # noqa: SIM115 - short read
    read = Read()
    try:
        return _run(job, data, read, progress)
    finally:
        if read.staged is not None:
            read.staged.close()


def _run(job: ImportJob, data: bytes, read: Read, progress: Callable[[int], None] | None) -> ImportJob:
    good, bad = read.good, read.bad
    file_notes: list[dict[str, Any]] = []
    period: tuple[date, date] | None = None
    try:
        if job.kind == ImportJob.Kind.STATEMENT:
            assert job.preset is not None
            statement = read.statement = _statement(job, data)
            # in the file's order: the preamble, the lines' amount notes, the footers
            file_notes = sorted(
                statement.table.notes + tables.amount_notes(statement.table, job.preset),
                key=lambda n: n["row"],
            )
            period = statement.period
            read.convert = rate_table().convert
            read.staged = columnar_rows.stage(statement, job.preset, read.convert)
            if read.staged is not None:
                bad.extend(read.staged.bad)
                if progress is None:  # the progress updates alone: every PROGRESS_EVERY-th row
                    for n in range(PROGRESS_EVERY, read.staged.rows + 1, PROGRESS_EVERY):
                        _tick(job, n, None)
                else:
                    for n in range(1, read.staged.rows + 1):
                        _tick(job, n, progress)
                lines: Any = iter(())
            else:
                lines = statement.lines(job.preset, read.convert)
        else:
            lines = iter(_travel_lines(data))  # type: ignore[arg-type]
        for n, (row_no, raw, line, error) in enumerate(lines, start=1):
            if line is None:
                bad.append((row_no, raw, error))
            else:
                good.append((row_no, line))
            _tick(job, n, progress)
    except FileError as exc:
        bad.append((0, [], str(exc)))
    errors = [{"row": r, "reason": reason} for r, _, reason in bad]
    if job.preset is not None and file_notes and not any(r == 0 for r, _, _ in bad):
        file_notes = file_notes + totals_check(job.preset, file_notes, read, read.valid + len(bad))
    if job.kind == ImportJob.Kind.STATEMENT and (read.valid or bad) and not any(r == 0 for r, _, _ in bad):
        file_notes = file_notes + shape_check(job, data, period, read, read.valid + len(bad), len(bad))
    now = timezone.now()
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.status not in (ImportJob.Status.PENDING, ImportJob.Status.RUNNING):
            return job  # a runner whose lease ran out while this one worked finished it first: stored once
        job.lease_until = None
        job.processed_rows = job.total_rows
        job.finished_at = now
        job.notes = file_notes
        if bad and (job.mode == ImportJob.Mode.STRICT or any(r == 0 for r, _, _ in bad)):
            job.status, job.errors = ImportJob.Status.REJECTED, errors
            job.save()
            audit.record(
                job.created_by,
                "analytics.import.reject",
                object_type="ImportJob",
                object_id=job.pk,
                case_id=job.party.case_id,
                after={"errors": errors[:100]},
            )
            return job
        QuarantinedRow.objects.bulk_create(
            QuarantinedRow(job=job, row_no=r, raw=",".join(clean(c) for c in raw), reason=reason)
            for r, raw, reason in bad
        )
        notes: list[dict[str, Any]] = []
        snapshot: tuple[Any, int] | None = None
        if job.kind == ImportJob.Kind.STATEMENT:
            snapshot = _store(job, read, notes)
        else:
            TravelRecord.objects.bulk_create(
                (TravelRecord(job=job, party_id=job.party_id, row_no=r, **rec) for r, rec in good),
                batch_size=2000,
            )
            job.imported = len(good)
        job.quarantined = len(bad)
        job.errors = errors + notes
        job.status = ImportJob.Status.DONE
        job.save()
        audit.record(
            job.created_by,
            "analytics.import.done",
            object_type="ImportJob",
            object_id=job.pk,
            case_id=job.party.case_id,
            after={"imported": job.imported, "duplicates": job.duplicates, "quarantined": job.quarantined},
        )
        party_id = job.party_id

        def snapshot_now() -> None:
            if snapshot is None or not columnar_rows.place_snapshot(snapshot[0], party_id, snapshot[1]):
                rebuild_snapshot(party_id)
            else:
                rebuild_snapshot(party_id, transactions=False)  # the travel records' snapshot

        transaction.on_commit(snapshot_now)
    return job


def _store(job: ImportJob, read: Read, notes: list[dict[str, Any]]) -> tuple[Any, int] | None:
    """The valid lines stored (column-wise from the staged lines where the file was read so); the
    debtor's snapshot written from the staged lines to a temporary file and its row count, if it
    could be (`columnar_rows.snapshot`), for the commit to put in place."""
    if read.staged is not None and columnar_rows.store(job, read.staged, notes):
        tmp = columnar_rows.snapshot(job, read.staged)
        return None if tmp is None else (tmp, read.staged.good)
    if read.staged is not None:  # the stored keys could not be compared in DuckDB: per line after all
        assert read.statement is not None and job.preset is not None
        got = read.statement.lines(job.preset, read.convert)
        read.good[:] = [(row_no, line) for row_no, _, line, _ in got if line is not None]
    statement_rows.store_statement(job, [line for _, line in read.good], notes)
    return None


def _still_allowed(job: ImportJob) -> bool:
    """The task runs later than the upload: the uploader must still hold the right (role, court)."""
    user = job.created_by
    return (
        user is not None
        and user.can(Cap.ANALYTICS_IMPORT)
        and getattr(user, "court_id", None) == job.court_id
    )


def _refuse(job: ImportJob) -> ImportJob:
    errors = [{"row": 0, "reason": "导入人已无导入数据的权限，任务未执行"}]
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        job.status, job.errors, job.finished_at = ImportJob.Status.REJECTED, errors, timezone.now()
        job.save()
        audit.record(
            job.created_by,
            "analytics.import.reject",
            object_type="ImportJob",
            object_id=job.pk,
            case_id=job.party.case_id,
            after={"errors": errors},
        )
    return job
