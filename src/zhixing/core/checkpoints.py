"""Signed audit checkpoints: every chain's length and head hash, signed with a key outside the database.

`make_checkpoint()` (the periodic Huey task `core.tasks.audit_checkpoint_task` and the command
`manage.py audit_checkpoint`) first checks that each chain only *grew* since the previous checkpoint
— the record the previous checkpoint ended on still carries the same hash, and every record appended
since links to it — then signs the new state with HMAC-SHA256 under ZHIXING_AUDIT_CHECKPOINT_KEY,
stores it (`AuditCheckpoint`) and appends it as one JSON line to the export file, which is meant to
leave the machine (docs/audit.md). `zhixing.core.checkpoint_verify` checks a file of such lines
against the database offline. See docs/adr/0003-audit-checkpoints.md.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
from collections.abc import Iterable
from datetime import UTC
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .audit import GENESIS, _digest
from .checkpoint_key import ENV_KEY, key_id, read_key
from .models import AuditChainHead, AuditCheckpoint, AuditRecord

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
ENV_FILE = "ZHIXING_AUDIT_CHECKPOINT_FILE"

# chain -> [length, last record id, last hash]
State = dict[str, list[Any]]


class CheckpointError(RuntimeError):
    """No checkpoint was signed: the key is missing, or the chains did not only grow (reason in Chinese)."""


def signing_key() -> str | None:
    """`settings.AUDIT_CHECKPOINT_KEY` when set (tests), else the environment (checkpoint_key.read_key)."""
    configured = getattr(settings, "AUDIT_CHECKPOINT_KEY", None)
    return str(configured) if configured else read_key(os.environ)


def export_path() -> Path:
    """Where checkpoints are appended: AUDIT_CHECKPOINT_FILE / ZHIXING_AUDIT_CHECKPOINT_FILE / DATA_DIR."""
    configured = getattr(settings, "AUDIT_CHECKPOINT_FILE", None) or os.environ.get(ENV_FILE, "")
    if configured:
        return Path(configured)
    return Path(getattr(settings, "DATA_DIR", ".")) / "audit-checkpoints.jsonl"


def body_of(cp: AuditCheckpoint) -> dict[str, Any]:
    """The signed content of a checkpoint (everything but the signature)."""
    return {
        "v": FORMAT_VERSION,
        "seq": cp.seq,
        "at": cp.at.astimezone(UTC).isoformat(),
        "total": cp.total,
        "chains": cp.chains,
        "prev": cp.prev,
        "key_id": cp.key_id,
    }


def sign(key: str, body: dict[str, Any]) -> str:
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hmac.new(key.encode("utf-8"), canonical.encode("utf-8"), hashlib.sha256).hexdigest()


def line_of(cp: AuditCheckpoint) -> str:
    """One JSONL line: the body plus its signature `sig`."""
    return json.dumps({**body_of(cp), "sig": cp.signature}, sort_keys=True, ensure_ascii=False)


def _label(chain: str) -> str:
    return f"留痕链「{chain}」" if chain else "平台留痕链"


def _grown_state(prev: State) -> State:
    """Every chain's state now, after checking that it extends `prev` record by record.

    Only records appended since `prev` are read (index on chain, id), so a checkpoint costs what was
    written since the last one. Raises CheckpointError naming the chain that shrank or was rewritten.
    """
    heads = {h.chain: h for h in AuditChainHead.objects.all()}
    state: State = {}
    for chain in sorted(set(heads) | set(prev)):
        length, last_id, last_hash = prev.get(chain, [0, 0, GENESIS])
        head = heads.get(chain)
        if head is None:
            raise CheckpointError(f"{_label(chain)}的链头缺失：上一检查点记载该链有{length}条记录")
        if last_id:
            row = AuditRecord.objects.filter(pk=last_id).values_list("chain", "hash").first()
            if row != (chain, last_hash):
                raise CheckpointError(
                    f"{_label(chain)}的记录#{last_id}已被删除或改写：上一检查点记载其为该链第{length}条"
                )
        if head.last_id < last_id:
            raise CheckpointError(f"{_label(chain)}的链头回退到记录#{head.last_id}（上一检查点为#{last_id}）")
        records = AuditRecord.objects.filter(chain=chain, id__gt=last_id, id__lte=head.last_id).order_by("id")
        for rec in records.iterator(chunk_size=2000):
            if rec.prev_hash != last_hash or _digest(rec) != rec.hash:
                raise CheckpointError(f"{_label(chain)}记录#{rec.pk}与前序不衔接或内容与哈希不符")
            length, last_id, last_hash = length + 1, rec.pk, rec.hash
        if (last_id, last_hash) != (head.last_id, head.last_hash):
            raise CheckpointError(f"{_label(chain)}的链头#{head.last_id}与链尾记录#{last_id}不符")
        state[chain] = [length, last_id, last_hash]
    return state


def _file_tail(path: Path) -> dict[str, Any] | None:
    """The last line of the export file, parsed (None when there is no file or no line)."""
    try:
        with path.open("rb") as fh:
            end = fh.seek(0, os.SEEK_END)
            window = 1 << 20
            while True:  # widen until the window holds the whole last line
                start = max(0, end - window)
                fh.seek(start)
                lines = [ln for ln in fh.read().splitlines() if ln.strip()]
                if start == 0 or len(lines) > 1:
                    break
                window *= 4
    except FileNotFoundError:
        return None
    if not lines:
        return None
    try:
        tail = json.loads(lines[-1])
    except ValueError as exc:
        raise CheckpointError(f"检查点文件{path}的最后一行不是有效的JSON") from exc
    return tail if isinstance(tail, dict) else None


def _reconcile_file(path: Path, last: AuditCheckpoint | None) -> None:
    """Bring the export file up to the stored checkpoints; refuse when the database has lost some.

    The file is appended after each commit, so a crash in between leaves the file *behind* (caught
    up here). A file *ahead* of the database means checkpoint rows were deleted.
    """
    tail = _file_tail(path)
    if tail is None:
        return
    file_seq = int(tail.get("seq", 0))
    db_seq = last.seq if last else 0
    if file_seq > db_seq:
        raise CheckpointError(f"检查点文件已到#{file_seq}，数据库中只到#{db_seq}：检查点记录被删除")
    known = AuditCheckpoint.objects.filter(seq=file_seq).first()
    # The whole line, not only the signature: a stored checkpoint whose chains were edited and whose
    # key_id was relabelled (so that its signature is not checked against the current key) would
    # otherwise become the base the next signed checkpoint extends.
    if known is None or json.loads(line_of(known)) != tail:
        raise CheckpointError(f"检查点文件中的检查点#{file_seq}与数据库中的不同")
    missing = AuditCheckpoint.objects.filter(seq__gt=file_seq).order_by("seq")
    _append(path, (line_of(cp) for cp in missing))


def _append(path: Path, lines: Iterable[str]) -> None:
    text = "".join(f"{line}\n" for line in lines)
    if not text:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    with os.fdopen(fd, "a", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())


def make_checkpoint(*, key: str | None = None, path: Path | None = None) -> AuditCheckpoint | None:
    """Sign and store a checkpoint of every chain; append it to the export file after commit.

    Returns None when no chain changed since the previous checkpoint (nothing new to vouch for).
    Raises CheckpointError (nothing signed) when the key is missing or a chain did not only grow.
    """
    key = key or signing_key()
    if not key:
        raise CheckpointError(f"未配置留痕检查点密钥（环境变量{ENV_KEY}），无法生成检查点")
    path = path or export_path()
    kid = key_id(key)
    try:
        with transaction.atomic():
            last = AuditCheckpoint.objects.select_for_update().order_by("-seq").first()
            _reconcile_file(path, last)
            if last is not None and last.key_id == kid and sign(key, body_of(last)) != last.signature:
                raise CheckpointError(f"数据库中的检查点#{last.seq}签名不符：检查点记录被篡改")
            prev_state: State = dict(last.chains) if last else {}
            state = _grown_state(prev_state)
            if last is not None and state == prev_state:
                return None
            cp = AuditCheckpoint(
                seq=(last.seq + 1) if last else 1,
                at=timezone.now(),
                total=sum(int(s[0]) for s in state.values()),
                chains=state,
                prev=last.signature if last else "",
                key_id=kid,
            )
            cp.signature = sign(key, body_of(cp))
            cp.save()
            transaction.on_commit(lambda: _append(path, [line_of(cp)]))
    except IntegrityError as exc:  # another maker took the same sequence number first
        raise CheckpointError("另一个检查点正在生成，请稍后重试") from exc
    return cp


def export_checkpoints(out: IO[str], since: int = 0) -> int:
    """Write the stored checkpoints with `seq > since` as JSONL to `out`; returns how many."""
    count = 0
    for cp in AuditCheckpoint.objects.filter(seq__gt=since).order_by("seq").iterator(chunk_size=500):
        out.write(line_of(cp) + "\n")
        count += 1
    return count
