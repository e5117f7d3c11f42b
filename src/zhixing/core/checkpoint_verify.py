"""Offline verification of signed audit checkpoints (a JSONL file, or the stored rows) against the database.

Three checks, in order, each naming the first failure in Chinese:

1. every line is well-formed and signed by a provided key (`key_id` says which);
2. the checkpoints form one history: `seq` rises by one, `prev` is the previous signature, no chain
   disappears, no chain's length, no total and no time ever goes down, a chain of unchanged length
   keeps its head;
3. the database still holds what they vouch for: walking the records in id order, the N-th record
   of each chain is the record (id and hash) every checkpoint that counted N records named. A chain
   deleted with its head, a chain cut back with its head moved, and a chain rewritten and re-hashed
   all fail here, although `audit.verify_chain` alone finds them consistent.
"""

from __future__ import annotations

import hmac
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .checkpoint_key import key_id
from .checkpoints import line_of, sign
from .models import AuditCheckpoint, AuditRecord

_FIELDS = {
    "v": int,
    "seq": int,
    "at": str,
    "total": int,
    "chains": dict,
    "prev": str,
    "key_id": str,
    "sig": str,
}


@dataclass(frozen=True)
class CheckpointReport:
    """Outcome of a checkpoint verification: `reason` names the first failure, or sums up success."""

    ok: bool
    reason: str
    checkpoints: int = 0
    last_seq: int | None = None


class _Broken(Exception):
    pass


def _label(chain: str) -> str:
    return f"留痕链「{chain}」" if chain else "平台留痕链"


def keys_by_id(keys: Iterable[str]) -> dict[str, str]:
    return {key_id(k): k for k in keys if k}


def _parse(lines: Iterable[str]) -> list[tuple[int, dict[str, Any]]]:
    out = []
    for n, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            cp = json.loads(raw)
        except ValueError as exc:
            raise _Broken(f"检查点文件第{n}行不是有效的JSON") from exc
        if not isinstance(cp, dict) or any(not isinstance(cp.get(f), t) for f, t in _FIELDS.items()):
            raise _Broken(f"检查点文件第{n}行缺少字段或字段类型不对（应有 {', '.join(_FIELDS)}）")
        for chain, st in cp["chains"].items():
            ok = isinstance(st, list) and len(st) == 3 and isinstance(st[0], int) and isinstance(st[1], int)
            if not ok or not isinstance(st[2], str):
                raise _Broken(f"检查点文件第{n}行{_label(chain)}的状态应为[记录数, 链尾ID, 链尾哈希]")
        out.append((n, cp))
    return out


def _check_signature(n: int, cp: dict[str, Any], keys: Mapping[str, str]) -> None:
    key = keys.get(cp["key_id"])
    if key is None:
        raise _Broken(f"第{n}行检查点#{cp['seq']}由未提供的密钥签名（密钥标识{cp['key_id']}）")
    body = {k: v for k, v in cp.items() if k != "sig"}
    if not hmac.compare_digest(sign(key, body), cp["sig"]):
        raise _Broken(f"第{n}行检查点#{cp['seq']}的签名不符：检查点被伪造或改动")


def _check_successor(n: int, prev: dict[str, Any], cp: dict[str, Any]) -> None:
    seq = cp["seq"]
    if seq != prev["seq"] + 1:
        raise _Broken(f"第{n}行检查点#{seq}不接续检查点#{prev['seq']}：其间的检查点缺失或重复")
    if cp["prev"] != prev["sig"]:
        raise _Broken(f"检查点#{seq}记载的前一签名与检查点#{prev['seq']}不符：检查点序列被改动")
    if _when(n, cp) < _when(n - 1, prev) or cp["total"] < prev["total"]:
        raise _Broken(f"检查点#{seq}的时间或留痕总数小于检查点#{prev['seq']}")
    for chain, (length, last_id, last_hash) in prev["chains"].items():
        now = cp["chains"].get(chain)
        if now is None:
            raise _Broken(f"检查点#{seq}中没有{_label(chain)}（检查点#{prev['seq']}记载其有{length}条）")
        if now[0] < length or (now[0] == length and now[1:] != [last_id, last_hash]):
            raise _Broken(f"检查点#{seq}中{_label(chain)}的记录数或链尾与检查点#{prev['seq']}矛盾")
        if now[0] > length and now[1] <= last_id:
            raise _Broken(f"检查点#{seq}中{_label(chain)}的链尾记录编号倒退")


def _when(n: int, cp: dict[str, Any]) -> datetime:
    try:
        return datetime.fromisoformat(cp["at"])
    except ValueError as exc:
        raise _Broken(f"第{n}行检查点#{cp['seq']}的时间格式不对") from exc


def _expectations(
    checkpoints: list[tuple[int, dict[str, Any]]],
) -> dict[str, dict[int, tuple[int, str, int]]]:
    """chain -> {length: (record id, hash, seq of the first checkpoint that counted that length)}."""
    out: dict[str, dict[int, tuple[int, str, int]]] = defaultdict(dict)
    for _n, cp in checkpoints:
        if cp["total"] != sum(st[0] for st in cp["chains"].values()):
            raise _Broken(f"检查点#{cp['seq']}的留痕总数与各链记录数之和不符")
        for chain, (length, last_id, last_hash) in cp["chains"].items():
            if length == 0:
                continue
            seen = out[chain].get(length)
            if seen is not None and seen[:2] != (last_id, last_hash):
                raise _Broken(f"检查点#{cp['seq']}与检查点#{seen[2]}对{_label(chain)}第{length}条的记载矛盾")
            out[chain].setdefault(length, (last_id, last_hash, cp["seq"]))
    return out


def _check_database(expect: dict[str, dict[int, tuple[int, str, int]]]) -> int:
    """One pass over (id, chain, hash) in id order; returns the number of records read."""
    counts: dict[str, int] = defaultdict(int)
    read = 0
    rows = AuditRecord.objects.order_by("id").values_list("id", "chain", "hash")
    for rec_id, chain, rec_hash in rows.iterator(chunk_size=10000):
        read += 1
        counts[chain] += 1
        want = expect.get(chain, {}).get(counts[chain])
        if want is not None and (rec_id, rec_hash) != want[:2]:
            raise _Broken(
                f"{_label(chain)}的第{counts[chain]}条记录#{rec_id}与检查点#{want[2]}记载的"
                f"记录#{want[0]}（哈希{want[1][:12]}…）不符：该链的记录被删除，或被改写后重新计算了哈希"
            )
    for chain, lengths in expect.items():
        longest = max(lengths)
        seq = lengths[longest][2]
        if counts.get(chain, 0) == 0:
            raise _Broken(
                f"{_label(chain)}在检查点#{seq}中有{longest}条记录，数据库中已无此链：整条链连同链头被删除"
            )
        if counts[chain] < longest:
            raise _Broken(
                f"{_label(chain)}只剩{counts[chain]}条记录，少于检查点#{seq}记载的{longest}条：最新的记录被删除"
            )
    return read


def verify_checkpoints(lines: Iterable[str], keys: Iterable[str]) -> CheckpointReport:
    """Check signed checkpoint lines (oldest first) and then the database against them."""
    try:
        parsed = _parse(lines)
        if not parsed:
            return CheckpointReport(False, "检查点文件中没有检查点")
        known = keys_by_id(keys)
        if not known:
            return CheckpointReport(False, "未提供检查点密钥，无法核对签名")
        prev: dict[str, Any] | None = None
        for n, cp in parsed:
            _check_signature(n, cp, known)
            if prev is not None:
                _check_successor(n, prev, cp)
            prev = cp
        read = _check_database(_expectations(parsed))
    except _Broken as exc:
        return CheckpointReport(False, str(exc))
    first, last = parsed[0][1]["seq"], parsed[-1][1]["seq"]
    return CheckpointReport(
        True,
        f"检查点#{first}至#{last}共{len(parsed)}个签名有效、前后衔接，数据库中的{read}条留痕记录与之相符",
        len(parsed),
        last,
    )


def stored_lines() -> list[str]:
    """The checkpoints stored in the database, as JSONL lines (what `audit_checkpoint --export` writes)."""
    return [line_of(cp) for cp in AuditCheckpoint.objects.order_by("seq").iterator(chunk_size=500)]
