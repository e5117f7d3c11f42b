"""Field evidence (现场取证): resumable uploads whose content hash is fixed at upload and chained to audit.

An upload starts with the file's size and SHA-256 as computed on the phone, its capture time and
position. Chunks are then appended at the offset the server holds (`put_chunk(offset=...)`); a chunk at
any other offset is refused with the offset to resume from, so a dropped connection resumes where the
server stopped. When the last byte arrives the server hashes the whole file: a mismatch with the
declared hash refuses the file (it is deleted, nothing is recorded); a match stores `Evidence` and an
audit record carrying the hash in the same transaction. `verify(evidence)` re-hashes the stored file and
compares it with the row and with the audit chain's record: any later change of the file or the row
shows.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from zhixing.core import audit
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.models import AuditRecord

from . import dispatch
from .models import Evidence, EvidenceUpload, FieldTask

MAX_SIZE = 500 * 1024 * 1024
ALLOWED = {
    "image/jpeg": "photo",
    "image/png": "photo",
    "image/webp": "photo",
    "video/mp4": "video",
    "video/quicktime": "video",
    "video/webm": "video",
}
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


def evidence_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "field-evidence"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _partial(upload: EvidenceUpload) -> Path:
    return evidence_dir() / f"{upload.token}.part"


@dataclass
class UploadStart:
    filename: str
    content_type: str
    size: int
    sha256: str
    captured_at: datetime
    latitude: float | None = None
    longitude: float | None = None


def start_upload(user: Any, task_id: int, data: UploadStart) -> EvidenceUpload:
    task = dispatch.get_task(user, task_id)
    if task is None:
        raise ServiceError("任务不存在或无权查看", field="task")
    if not dispatch.may_work(user, task):
        raise NotPermitted("只有执行该任务的团队可以上传证据")
    kind = ALLOWED.get((data.content_type or "").lower())
    if kind is None:
        raise ServiceError("只能上传照片（JPEG/PNG/WebP）或视频（MP4/MOV/WebM）", field="content_type")
    if not 0 < data.size <= MAX_SIZE:
        raise ServiceError("文件大小须在 1 字节至 500 MB 之间", field="size")
    sha = (data.sha256 or "").lower()
    if not _HEX64.match(sha):
        raise ServiceError("内容哈希须为64位十六进制 SHA-256", field="sha256")
    if data.captured_at > timezone.now() + dispatch.timedelta(minutes=10):
        raise ServiceError("拍摄时间晚于当前时间", field="captured_at")
    for name, value, bound in (("latitude", data.latitude, 90), ("longitude", data.longitude, 180)):
        if value is not None and not -bound <= value <= bound:
            raise ServiceError("位置坐标超出范围", field=name)
    name = Path(data.filename or "evidence").name[:200] or "evidence"
    upload = EvidenceUpload.objects.create(
        task=task,
        kind=kind,
        filename=name,
        content_type=data.content_type.lower(),
        size=data.size,
        sha256=sha,
        captured_at=data.captured_at,
        latitude=data.latitude,
        longitude=data.longitude,
        uploaded_by=user,
        started_at=timezone.now(),
    )
    _partial(upload).write_bytes(b"")
    return upload


def get_upload(user: Any, token: str) -> EvidenceUpload:
    upload = (
        EvidenceUpload.objects.filter(token=token, uploaded_by=user).select_related("task").first()
        if _uuid(token)
        else None
    )
    if upload is None:
        raise ServiceError("上传不存在或已完成", field="upload")
    return upload


def _uuid(token: str) -> bool:
    return bool(re.match(r"^[0-9a-f-]{36}$", str(token)))


@dataclass
class ChunkResult:
    received: int
    evidence: Evidence | None = None


def put_chunk(user: Any, token: str, offset: int, chunk: bytes) -> ChunkResult:
    """Append `chunk` at `offset` (must equal what the server holds; else Conflict with the offset)."""
    with transaction.atomic():
        upload = get_upload(user, token)
        upload = EvidenceUpload.objects.select_for_update().get(pk=upload.pk)
        if offset != upload.received:
            raise Conflict(f"续传位置应为 {upload.received}", field="offset")
        if upload.received + len(chunk) > upload.size:
            raise ServiceError("数据超过声明的文件大小", field="size")
        with _partial(upload).open("r+b") as f:
            f.seek(offset)
            f.write(chunk)
            f.truncate()
        upload.received = offset + len(chunk)
        upload.save(update_fields=["received"])
    if upload.received < upload.size:
        return ChunkResult(upload.received)
    return ChunkResult(upload.received, _finish(user, upload))


def file_hash(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _finish(user: Any, upload: EvidenceUpload) -> Evidence:
    part = _partial(upload)
    actual = file_hash(part)
    if actual != upload.sha256:
        part.unlink(missing_ok=True)
        upload.delete()
        raise ServiceError(
            f"文件内容哈希 {actual[:12]}… 与声明的 {upload.sha256[:12]}… 不一致，已拒收，请重新上传",
            field="sha256",
        )
    task: FieldTask = upload.task
    stored = f"{upload.token}{Path(upload.filename).suffix[:10]}"
    with transaction.atomic():
        now = timezone.now()
        rec = audit.record(
            user,
            "command.evidence.upload",
            object_type="command.task",
            object_id=task.pk,
            case_id=task.case_id,
            after={
                "filename": upload.filename,
                "sha256": actual,
                "size": upload.size,
                "captured_at": upload.captured_at,
                "latitude": upload.latitude,
                "longitude": upload.longitude,
            },
            court=task.court,
        )
        ev = Evidence.objects.create(
            task=task,
            case_id=task.case_id,
            kind=upload.kind,
            filename=upload.filename,
            content_type=upload.content_type,
            size=upload.size,
            sha256=actual,
            stored_as=stored,
            captured_at=upload.captured_at,
            latitude=upload.latitude,
            longitude=upload.longitude,
            uploaded_by=user,
            uploaded_at=now,
            audit_id=rec.pk,
        )
        part.rename(evidence_dir() / stored)
        upload.delete()
    return ev


@dataclass(frozen=True)
class Verification:
    ok: bool
    reason: str


def verify(ev: Evidence) -> Verification:
    """Whether the stored file still has the hash recorded at upload, in the row and in the audit chain."""
    rec = AuditRecord.objects.filter(pk=ev.audit_id).first()
    chained = (rec.after or {}).get("sha256") if rec is not None else None
    if chained != ev.sha256:
        return Verification(False, "登记的哈希与审计链记录不一致")
    path = evidence_dir() / ev.stored_as
    if not path.exists():
        return Verification(False, "证据文件缺失")
    if file_hash(path) != ev.sha256:
        return Verification(False, "证据文件内容已被改动（哈希不一致）")
    return Verification(True, "与上传时的哈希及审计链一致")


def task_evidence(task: FieldTask) -> list[Evidence]:
    return list(Evidence.objects.filter(task=task).select_related("uploaded_by").order_by("pk"))


def case_evidence(case_id: int) -> list[Evidence]:
    return list(
        Evidence.objects.filter(case_id=case_id).select_related("task", "uploaded_by").order_by("-pk")[:200]
    )
