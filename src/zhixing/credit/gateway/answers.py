"""The answers of the single check and the batch (as the ninja handlers gave them), for one partner.

The single check's body is parsed once per request (`parse_check`, by the engine for the whole group
before the answers); a miss's answer is the partner kind's precomputed bytes around the ID, a hit's the
bytes cached with the subject's details (`details.DetailCache`). A batch's hits are read from the
index in C (`ScreeningIndex.screen_lines`), their details from the same cache as per-subject fragments.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import parse_qs

from pydantic import ValidationError as PydanticError

from zhixing.core.asgi_routes import is_json_type
from zhixing.core.errors import ServiceError

from .. import rules
from ..models import Partner
from ..schemas import CheckIn
from ..screening import ScreeningIndex, hit_items, malformed, normalise_lines
from ..screening_csv import hits_csv_tails
from ..services import enumeration
from ..services.partners import ScreeningCall, normalise_subject
from ..visibility import PartnerView, view_of
from .batch_input import TEXT_TYPES, read_batch
from .details import DetailCache, check_body, csv_tail, shown_fields
from .wire import (
    JSON_UTF8,
    Answer,
    BadJson,
    Invalid,
    Job,
    error_answer,
    invalid_answer,
    json_answer,
    unsupported_json_answer,
)

_MAX_ID = CheckIn.model_fields["id"].metadata[0].max_length  # CheckIn's max_length, for the fast path


# -- the single check ------------------------------------------------------------------------------------
def parse_check(job: Job, today: date | None = None) -> str:
    """The subject key of a check request, or the API's error: 415, 400 bad JSON, 422 (schema, a control
    character in `id`, an invalid number naming `id`), in that order, as the ninja handler answered."""
    if not is_json_type(job.content_type):
        raise _Refused(unsupported_json_answer(job.content_type))
    try:
        data = json.loads(job.body) if job.body.strip() else {}
    except ValueError:
        raise BadJson() from None
    number = data.get("id") if type(data) is dict else None
    if type(number) is not str or len(number) > _MAX_ID:  # CheckIn's rules, validated by pydantic
        try:
            number = CheckIn.model_validate(data).id
        except PydanticError as exc:
            raise Invalid([dict(e) for e in exc.errors(include_url=False)]) from None
    bad = rules.control_char(number)
    if bad:  # never trimmed into an ID and answered (a tab, NUL, a line break …)
        raise ServiceError(f"参数“id”含有不允许的控制字符（{bad}）", field="id")
    return normalise_subject(number, today)


class _Refused(Exception):
    """A request answered with `answer` before any screening (an unsupported content type)."""

    def __init__(self, answer: Answer) -> None:
        super().__init__("refused")
        self.answer = answer


def prepare_check(job: Job, today: date | None = None) -> None:
    """Parse a check once: `job.subject`, or `job.refused` with its error answer."""
    try:
        job.subject = parse_check(job, today)
    except _Refused as exc:
        job.refused = exc.answer
    except Invalid as exc:
        job.refused = invalid_answer(exc.errors)
    except ServiceError as exc:
        job.refused = error_answer(exc)


class MissBodies:
    """A miss's answer body per partner kind: the same bytes around the ID every time."""

    def __init__(self) -> None:
        self.tails: dict[str, bytes] = {}

    def body(self, key: str, view: PartnerView, kind: str) -> bytes:
        tail = self.tails.get(kind)
        if tail is None:
            rest: dict[str, Any] = {"restricted": False, "restrictions": [], "labels": []}
            if "since" in view.fields:
                rest["since"] = None
            rest["cases"] = []
            tail = self.tails[kind] = (", " + json.dumps(rest, ensure_ascii=False)[1:]).encode()
        return b'{"id": ' + json.dumps(key, ensure_ascii=False).encode() + tail


MISSES = MissBodies()


def check(job: Job, partner: Partner, index: ScreeningIndex, details: DetailCache) -> Answer:
    if not job.subject and job.refused is None:
        prepare_check(job)
    if job.refused is not None:
        return job.refused
    key = job.subject
    kind = partner.kind
    view = view_of(kind)
    mask = index.mask_of(key) & view.mask
    if mask:
        # Cached with the subject (forgotten when the change log names it); the mask is checked on use.
        cached = details.fragments_of(
            "check", kind, [key], lambda rows: (mask, _hit_body(key, mask, view, rows))
        )
        body = (
            cached[key][1] if cached[key][0] == mask else _hit_body(key, mask, view, details.get([key])[key])
        )
    else:
        body = MISSES.body(key, view, kind)
    call = ScreeningCall(partner, "check", asked=1, hits=int(bool(mask)), ids=[key])
    return Answer(200, body, JSON_UTF8, [], call)


def _codes(mask: int) -> tuple[list[str], list[str]]:
    codes = list(rules.codes_of(mask))
    return codes, [rules.CODE_LABELS[c] for c in codes]


def _hit_body(key: str, mask: int, view: PartnerView, rows: list[dict[str, Any]]) -> bytes:
    return check_body(key, mask, *_codes(mask), view, rows)


# -- the batch -------------------------------------------------------------------------------------------
_DETAIL_FIELDS = ("since", "court", "case_number")  # the detail columns of the compact answers


def _sample(data: bytes) -> list[str]:
    """The first resident IDs of a line batch for the enumeration detector (no decoding of the rest)."""
    head = normalise_lines(data[: 19 * enumeration.sample_size() + 3])
    return head.decode(errors="replace").split("\n")


def _compact(
    job: Job, partner: Partner, data: bytes, csv: bool, index: ScreeningIndex, details: DetailCache
) -> Answer:
    kind = partner.kind
    view = view_of(kind)
    batch = index.screen_lines(data, view.mask)
    with_details = parse_qs(job.query).get("details", ["1"])[-1] != "0" and bool(batch.hits)
    keys = hit_items(data, batch.hits) if with_details else []
    call = ScreeningCall(
        partner,
        "batch",
        asked=batch.asked,
        hits=len(batch.hits),
        extra={"format": "csv" if csv else "compact"},
        ids=_sample(data),
    )
    headers = [
        (b"x-screening-asked", str(batch.asked).encode()),
        (b"x-screening-hits", str(len(batch.hits)).encode()),
    ]
    if csv:
        if with_details:
            tails = details.fragments_of(
                "csv", kind, keys, lambda rows: csv_tail(shown_fields(view, rows)), same_when_plain=True
            )
            ends = list(map(tails.__getitem__, keys))
        else:
            ends = [",,,"] * len(batch.hits)
        text = hits_csv_tails(batch, ends).encode()
        return Answer(200, text, "text/csv; charset=utf-8", headers, call)
    if with_details:
        shown = details.fragments_of(
            "shown", kind, keys, lambda rows: shown_fields(view, rows), same_when_plain=True
        )
        rows = list(map(shown.__getitem__, keys))
    else:
        rows = [None] * len(batch.hits)
    hits = []
    # Only the detail fields the partner kind may see appear at all (visibility.VIEWS).
    fields = [i for i, f in enumerate(_DETAIL_FIELDS) if f in view.fields]
    empty = (None, None, None)
    for (p, m), row in zip(batch.hits.items(), rows, strict=True):
        hit: dict[str, Any] = {"pos": p, "mask": m, "restrictions": rules.codes_of(m)}
        hit.update((_DETAIL_FIELDS[i], (row or empty)[i]) for i in fields)
        hits.append(hit)
    reasons = {str(p): batch.reasons.get(p, "format") for p in batch.invalid}
    body = {"asked": batch.asked, "hits": hits, "invalid": batch.invalid, "invalid_reasons": reasons}
    answer = json_answer(200, body, headers)
    answer.call = call
    return answer


def batch(job: Job, partner: Partner, index: ScreeningIndex, details: DetailCache) -> Answer:
    data, ids = read_batch(job.content_type, job.body)
    csv = any(t in job.accept.lower() for t in TEXT_TYPES)
    if data is None and csv:  # the original JSON body, answered in CSV
        data = "\n".join(ids or []).encode("utf-8", "surrogatepass")
    if data is not None:
        return _compact(job, partner, data, csv, index, details)
    ids = [i.strip().upper() for i in ids or []]
    invalid = malformed(ids)
    hits = index.check_many(ids, view_of(partner.kind).mask)
    body = {
        "asked": len(ids),
        "restricted": {k: rules.codes_of(m) for k, m in hits.items()},
        "invalid": list(invalid),
        "invalid_reasons": invalid,
    }
    answer = json_answer(200, body)
    answer.call = ScreeningCall(partner, "batch", asked=len(ids), hits=len(hits), ids=ids)
    return answer


HANDLERS: dict[str, Callable[[Job, Partner, ScreeningIndex, DetailCache], Answer]] = {
    "check": check,
    "batch": batch,
}
