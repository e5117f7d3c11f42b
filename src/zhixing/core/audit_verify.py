"""Verifying the audit hash chains (`manage.py verify_audit`), also while the platform writes.

One pass over all records in id order checks each record's predecessor hash and content hash and keeps
each chain's tail (id, hash); then each chain's head row must point at that tail — a deleted last record
leaves the head pointing at a missing id.

On a live platform the pass and the reading of the heads are not one moment: a record appended (and
committed) after the pass went by moves its chain's head past the tail the pass saw, which is not a
deletion. Within one chain, appends are serialised by the head's row lock, so a chain's records commit
in id order; a head ahead of its tail therefore means either records appended since (they are read,
chain by chain, from the tail on, and checked like the rest) or a deleted last record (nothing follows
the tail, or what follows does not reach the head). Records of different chains may commit out of id
order, which is why the catch-up reads per chain from its own tail, never from the pass's last id.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .audit import GENESIS, _digest
from .models import AuditChainHead, AuditRecord

CATCH_UP_ROUNDS = 5  # heads re-read at most this often while writers keep appending


@dataclass(frozen=True)
class ChainReport:
    """Outcome of a verification: `broken_at` names the first bad record (or None), `chain` its chain."""

    checked: int
    broken_at: int | None
    reason: str
    chain: str | None = None
    chains: dict[str, int] = field(default_factory=dict, compare=False)

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def _label(chain: str) -> str:
    return f"留痕链「{chain}」" if chain else "平台留痕链"


@dataclass
class _Walk:
    tails: dict[str, tuple[int, str]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    checked: int = 0
    broken: ChainReport | None = None

    def take(self, records: object) -> bool:
        """Check `records` (id order) against the tails so far; False at the first break."""
        for rec in records:  # type: ignore[attr-defined]
            _last_id, prev = self.tails.get(rec.chain, (0, GENESIS))
            where = f"{_label(rec.chain)}记录#{rec.pk}"
            if rec.prev_hash != prev:
                reason = f"{where}的前序哈希不符：其前一条记录被删除或篡改"
                self.broken = ChainReport(self.checked, rec.pk, reason, rec.chain, self.counts)
                return False
            if _digest(rec) != rec.hash:
                reason = f"{where}的内容与哈希不符：该记录被篡改"
                self.broken = ChainReport(self.checked, rec.pk, reason, rec.chain, self.counts)
                return False
            self.tails[rec.chain] = (rec.pk, rec.hash)
            self.counts[rec.chain] = self.counts.get(rec.chain, 0) + 1
            self.checked += 1
        return True


def _heads() -> dict[str, AuditChainHead]:
    return {h.chain: h for h in AuditChainHead.objects.all()}


def verify_chain(chunk: int = 5000) -> ChainReport:
    """Walk every chain in id order; name the first record edited, or whose predecessor vanished."""
    walk = _Walk()
    if not walk.take(AuditRecord.objects.order_by("id").iterator(chunk_size=chunk)):
        assert walk.broken is not None
        return walk.broken
    heads = _heads()
    for _round in range(CATCH_UP_ROUNDS):
        behind = [c for c, h in heads.items() if h.last_id > walk.tails.get(c, (0, GENESIS))[0]]
        if not behind:
            break
        for chain in behind:
            since = walk.tails.get(chain, (0, GENESIS))[0]
            more = AuditRecord.objects.filter(chain=chain, pk__gt=since).order_by("id")
            if not walk.take(more.iterator(chunk_size=chunk)):
                assert walk.broken is not None
                return walk.broken
        heads = _heads()
    tails, counts, checked = walk.tails, walk.counts, walk.checked
    for chain in sorted(set(heads) | set(tails)):
        last_id, last_hash = tails.get(chain, (0, GENESIS))
        head = heads.get(chain)
        if head is None:
            return ChainReport(
                checked, last_id, f"{_label(chain)}的链头缺失（链尾记录#{last_id}）", chain, counts
            )
        if head.last_id != last_id or head.last_hash != last_hash:
            reason = f"{_label(chain)}链尾记录#{head.last_id}缺失：最后的留痕记录被删除"
            return ChainReport(checked, head.last_id, reason, chain, counts)
    return ChainReport(checked, None, f"留痕链完整（{len(tails)}条链）", None, counts)
