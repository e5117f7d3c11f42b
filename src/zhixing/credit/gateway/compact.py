"""The compact batch's answers (CSV and compact JSON), assembled as bytes from a `LineScan` and per-hit tails.

A row (CSV) or hit object (JSON) is three pieces: its line number's bytes (a table made once per
process), its mask's (made once per distinct mask in the batch) and its subject's tail — the court and
case details as the partner kind may see them (`details.shown_fields`), encoded once per subject and
kind and cached with the subject (`DetailCache.batch_tails`). The answer is one ``b"".join`` over them: no
``str.format``, ``json.dumps`` or dict per hit. The bytes are exactly what ``screening_csv.hits_csv``
and ``json.dumps(…, ensure_ascii=False)`` of the compact answer's structure give (tests compare them).
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from .. import rules
from ..screening_csv import CSV_HEADER, detail_tail
from ..screening_scan import LineScan
from ..visibility import PartnerView

DETAIL_FIELDS = ("since", "court", "case_number")  # the detail columns of the compact answers
_HEAD = (CSV_HEADER + "\n").encode()


class _Numbers:
    """``fmt % i`` for i = 0, 1, …, made once per process and grown on demand (line numbers ≤ 10,000)."""

    def __init__(self, fmt: bytes) -> None:
        self.fmt = fmt
        self.made: list[bytes] = []

    def take(self, values: list[int]) -> list[bytes]:
        if not values:
            return []
        if values[-1] >= len(self.made):  # ascending: the last is the largest
            self.made.extend(self.fmt % i for i in range(len(self.made), values[-1] + 1))
        if values[-1] - values[0] == len(values) - 1:  # consecutive lines (every line a hit): a slice
            return self.made[values[0] : values[-1] + 1]
        return list(map(self.made.__getitem__, values))


_CSV_POS = _Numbers(b"%d,")
_JSON_POS = _Numbers(b', {"pos": %d, "mask": ')


def _by_mask(masks: np.ndarray, encode: Any) -> list[bytes]:
    """Each hit's mask piece; encoded once per distinct mask (a batch holds a handful)."""
    if not len(masks):
        return []
    if (masks == masks[0]).all():
        return [encode(int(masks[0]))] * len(masks)
    table = {m: encode(m) for m in np.unique(masks).tolist()}
    return list(map(table.__getitem__, masks.tolist()))


def _joined(pieces: tuple[list[Any], ...]) -> list[Any]:
    """The pieces of every hit, interleaved (slice assignments in C) for one join."""
    n = len(pieces[0])
    out: list[Any] = [b""] * (len(pieces) * n)
    for k, piece in enumerate(pieces):
        out[k :: len(pieces)] = piece
    return out


def csv_tail(shown: tuple[object, object, object] | None) -> bytes:
    """A hit's CSV row after its mask, line feed included: ``,since,court,case_number\\n`` or ``,,,\\n``."""
    return (",,," if shown is None else detail_tail(shown)).encode() + b"\n"


def csv_body(scan: LineScan, tails: list[bytes]) -> bytes:
    """The CSV answer (`screening_csv.hits_csv`): a header, then one row per hit or invalid line, by line."""
    pieces = (_CSV_POS.take(scan.positions.tolist()), _by_mask(scan.masks, b"%d".__mod__), tails)
    if not scan.invalid:
        return _HEAD + b"".join(_joined(pieces))
    rows = list(map(b"".join, zip(*pieces, strict=True)))
    rows += [f"{p},invalid,{scan.reasons.get(p, 'format')},,\n".encode() for p in scan.invalid]
    order = np.argsort(np.concatenate([scan.positions, np.array(scan.invalid, dtype=np.int64)]))
    return _HEAD + b"".join(map(rows.__getitem__, order.tolist()))


def json_tail(view: PartnerView, shown: tuple[object, object, object] | None) -> bytes:
    """A hit object's end after its restrictions: the detail fields the kind may see, then ``}``."""
    row = shown or (None, None, None)
    fields = [(f, row[i]) for i, f in enumerate(DETAIL_FIELDS) if f in view.fields]
    text = "".join(f', "{f}": {json.dumps(v, ensure_ascii=False, default=str)}' for f, v in fields) + "}"
    try:
        return text.encode()
    except UnicodeEncodeError:  # pragma: no cover - a lone surrogate in a court name: escaped
        return ("".join(f', "{f}": {json.dumps(v, default=str)}' for f, v in fields) + "}").encode()


def _json_mask(mask: int) -> bytes:
    return b'%d, "restrictions": %s' % (mask, json.dumps(list(rules.codes_of(mask))).encode())


def json_body(scan: LineScan, tails: list[bytes]) -> bytes:
    """The compact JSON answer: ``{"asked", "hits": [{"pos", "mask", "restrictions", <details>}, …],
    "invalid", "invalid_reasons"}`` as ``json.dumps(…, ensure_ascii=False)`` writes it."""
    pieces = (_JSON_POS.take(scan.positions.tolist()), _by_mask(scan.masks, _json_mask), tails)
    hits = b"".join(_joined(pieces))[2:]  # the first hit's leading ", "
    reasons = {str(p): scan.reasons.get(p, "format") for p in scan.invalid}
    return b'{"asked": %d, "hits": [%s], "invalid": %s, "invalid_reasons": %s}' % (
        scan.asked,
        hits,
        json.dumps(scan.invalid).encode(),
        json.dumps(reasons).encode(),
    )


def _legacy_sep(mask: int) -> str:
    return '": ' + json.dumps(list(rules.codes_of(mask))) + ', "'


def legacy_body(asked: int, restricted: dict[str, int], invalid: dict[str, str]) -> bytes | None:
    """The original JSON batch's answer (``{"asked", "restricted": {id: codes}, "invalid",
    "invalid_reasons"}``) as ``json.dumps(…, ensure_ascii=False)`` writes it; None when a restricted key
    is not plain ASCII letters and digits (the caller then dumps the structure) or the text cannot be
    encoded (a lone surrogate in an invalid item: the caller's dump escapes it)."""
    keys = "".join(restricted)
    if restricted and not (keys.isascii() and keys.encode("ascii").isalnum()):  # bytes: a table look-up
        return None
    if restricted:
        masks = list(restricted.values())
        if masks.count(masks[0]) == len(masks):
            seps = [_legacy_sep(masks[0])] * len(masks)
        else:
            table = {m: _legacy_sep(m) for m in set(masks)}
            seps = list(map(table.__getitem__, masks))
        hits = '{"' + "".join(_joined((list(restricted), seps)))[:-3] + "}"
    else:
        hits = "{}"
    text = (
        f'{{"asked": {asked}, "restricted": {hits}, "invalid": '
        f"{json.dumps(list(invalid), ensure_ascii=False)}, "
        f'"invalid_reasons": {json.dumps(invalid, ensure_ascii=False)}}}'
    )
    try:
        return text.encode()
    except UnicodeEncodeError:
        return None
