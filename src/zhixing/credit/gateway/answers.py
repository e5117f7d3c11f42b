"""The answers of the single check and the batch (as the ninja handlers gave them), for one partner.

The single check's body is parsed once per request (`parse_check`, by the engine for the whole group
before the answers); a miss's answer is the partner kind's precomputed bytes around the ID, a hit's the
bytes cached with the subject's details (`details.DetailCache`). A batch's hits are read from the
index as arrays (`ScreeningIndex.scan_lines`) and the answer joined from per-subject tails (`compact`).
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
from ..screening import ScreeningIndex, malformed, normalise_lines
from ..services import enumeration
from ..services.partners import ScreeningCall, normalise_subject
from ..visibility import PartnerView, view_of
from . import compact
from .batch_input import TEXT_TYPES, read_batch
from .details import NO_DETAILS, DetailCache, check_body, shown_fields
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
    except (ValueError, RecursionError):  # RecursionError: nested past the parser's depth ("[[[[…")
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
def _sample(data: bytes) -> list[str]:
    """The first resident IDs of a line batch for the enumeration detector (no decoding of the rest)."""
    head = normalise_lines(data[: 19 * enumeration.sample_size() + 3])
    return head.decode(errors="replace").split("\n")


def _compact(
    job: Job, partner: Partner, data: bytes, csv: bool, index: ScreeningIndex, details: DetailCache
) -> Answer:
    """The line format's answer, CSV or compact JSON, assembled from the scan's arrays (`compact`)."""
    kind = partner.kind
    view = view_of(kind)
    scan = index.scan_lines(data, view.mask)
    hits = len(scan.keys)
    with_details = parse_qs(job.query).get("details", ["1"])[-1] != "0" and hits > 0
    call = ScreeningCall(
        partner,
        "batch",
        asked=scan.asked,
        hits=hits,
        extra={"format": "csv" if csv else "compact"},
        ids=_sample(data),
    )
    headers = [
        (b"x-screening-asked", str(scan.asked).encode()),
        (b"x-screening-hits", str(hits).encode()),
    ]

    # Only the detail fields the partner kind may see appear at all (visibility.VIEWS), and only of the
    # measures of its business (`shown_fields`).
    def make(rows: list[dict[str, Any]]) -> bytes:
        shown = shown_fields(view, rows)
        return compact.csv_tail(shown) if csv else compact.json_tail(view, shown)

    if with_details:
        tails = details.batch_tails("csv" if csv else "json", kind, scan, make)
    else:
        tails = [make(NO_DETAILS)] * hits
    if csv:
        return Answer(200, compact.csv_body(scan, tails), "text/csv; charset=utf-8", headers, call)
    return Answer(200, compact.json_body(scan, tails), JSON_UTF8, headers, call)


def _cleaned(ids: list[str]) -> list[str]:
    """Each item stripped and upper-cased; for ASCII items without a space (control characters were
    refused, `batch_input.control_refused`) that is the upper-cased text split again, in C."""
    text = "\n".join(ids)
    if ids and text.isascii() and " " not in text:
        return text.upper().split("\n")
    return [i.strip().upper() for i in ids]


def batch(job: Job, partner: Partner, index: ScreeningIndex, details: DetailCache) -> Answer:
    data, ids = read_batch(job.content_type, job.body)
    csv = any(t in job.accept.lower() for t in TEXT_TYPES)
    if data is None and csv:  # the original JSON body, answered in CSV
        data = "\n".join(ids or []).encode("utf-8", "surrogatepass")
    if data is not None:
        return _compact(job, partner, data, csv, index, details)
    ids = _cleaned(ids or [])
    invalid = malformed(ids)
    hits = index.check_many(ids, view_of(partner.kind).mask)
    joined = compact.legacy_body(len(ids), hits, invalid)
    if joined is not None:
        answer = Answer(200, joined)
    else:
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
