"""Redaction: find and mask personal identifiers in free text before it is published.

Purpose: staff type free text — the dishonest act of a listing, an obligation, an address for an
exposure notice — that reaches a public page or a partner. Such text must not carry a resident ID
number, a phone number or a street address in clear (DESIGN invariant 9). Every domain that publishes
text masks it here, so the rules are the same everywhere.

Contract:

* :func:`find` returns the identifiers in a text as :class:`Finding` (kind ``id``, ``phone`` or
  ``address``; character offsets), non-overlapping and in text order.
* :func:`redact` returns the text with every finding masked: an ID number keeps its first four
  characters (province and prefecture), a mobile number its first three and last four digits, a
  landline its area code, and a street address loses everything from the street name to the last
  house, building or room number (the administrative area before it stays: 广州市天河区****).
* :func:`mask_resident_id` and :func:`mask_address` mask a value already known to be an ID number or an
  address (a form field), with the same results.

What counts: an ID number is any 18-character run of 17 digits and a digit or X (checksum or not: a
mistyped number still identifies its owner), optionally with single spaces or hyphens between
characters, and the old 15-digit form with a valid-looking birth date; a mobile number is 11 digits
starting 13–19, optionally with +86 and a single space or hyphen between any two digits; a landline
needs a bracketed or separated area code (020-12345678) so that amounts and case numbers are not taken
for one; a street address is a road, street, lane, village, estate or building word followed by a
house, building or room number (体育西路123号, 体育西路 191 号, 某村3组, 某花园5栋2单元301室,
高新南七道R2-B栋; a building named after the number joins it: 体育西路191号中石化大厦B塔2001室) — so
case and document numbers (（2026）粤0106执1号, 法释〔2017〕7号) are not.
Full-width digits and letters count as their ASCII forms.

Pure module: no Django, no database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Finding", "find", "mask_address", "mask_resident_id", "redact"]

MASK = "****"

# Full-width ASCII (！ … ～) → ASCII, one character for one, so offsets stay valid.
_FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}

_SEP = r"[ \-]?"
_ID18 = re.compile(rf"(?<![0-9A-Za-z])\d(?:{_SEP}\d){{16}}{_SEP}[\dXx](?![0-9A-Za-z])")
_ID15 = re.compile(r"(?<![0-9A-Za-z])\d{8}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}(?![0-9A-Za-z])")
_MOBILE = re.compile(rf"(?<![0-9A-Za-z+])(?:\+?86{_SEP})?1{_SEP}[3-9](?:{_SEP}\d){{9}}(?![0-9A-Za-z])")
_LANDLINE = re.compile(r"(?<![0-9A-Za-z])(?:\(0\d{2,3}\)|（0\d{2,3}）|0\d{2,3}[ \-])\d{7,8}(?![0-9A-Za-z])")

# A street address: a place word, then a chain of numbers with units (123号, 5栋2单元301室, 3组).
_PLACE = (
    "大道|大街|胡同|公路|路|街|道|巷|弄|里|村|屯|社区|小区|花园|公寓|大厦|广场|苑|园|庄|坊|城|府|湾|阁|邸|寓"
)
_NUM = "[0-9A-Za-z一二三四五六七八九十百千零〇两]+(?:-[0-9A-Za-z]+)*"  # 123, 八十八, R2-B
_UNIT = "号楼|号院|号|弄|栋|幢|座|塔|单元|层|楼|室|组|户"
_SP = " *"  # spaces typed around numbers (体育西路 191 号)
_ADDRESS = re.compile(
    rf"(?:{_PLACE})[东西南北中]?(?:{_NUM}段)?{_SP}{_NUM}{_SP}(?:{_UNIT})"
    rf"(?:{_SP}[-之]?{_SP}{_NUM}{_SP}(?:{_UNIT}))*(?:[-之]?\d+)?"
)
# Walking left from the place word over the street's name stops after an administrative area ...
_AREA_ENDS = ("街道", "自治区", "自治州", "省", "市", "区", "县", "旗", "州", "盟", "镇", "乡")
# ... or at a word that introduces the address rather than naming the street.
_STOP_CHARS = set("于住在至到的和与及址、")
_INTRO_WORDS = ("户籍地", "住所地", "居住地", "所在地", "经营地")
_STREET_MAX = 12
# The administrative area an address starts with (kept by mask_address).
_AREA_PREFIX = re.compile(
    r"^(?:[\u4e00-\u9fff]{1,8}?(?:省|自治区|特别行政区))?"
    r"(?:[\u4e00-\u9fff]{1,8}?(?:市|自治州|地区|盟))?"
    r"(?:[\u4e00-\u9fff]{1,8}?(?:区|县|市|旗))?"
)


@dataclass(frozen=True)
class Finding:
    """One identifier in a text: its kind, offsets (end exclusive) and its characters as written."""

    kind: str
    start: int
    end: int
    value: str


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _street_start(text: str, place_at: int) -> int:
    """Where the street's name begins, walking left from its place word (路, 村, 花园 …)."""
    i = place_at
    while i > 0 and place_at - i < _STREET_MAX:
        if any(text[:i].endswith(end) for end in _AREA_ENDS) and i < place_at:
            break
        if any(text[:i].endswith(word) for word in _INTRO_WORDS):
            break
        ch = text[i - 1]
        if not _is_cjk(ch) or ch in _STOP_CHARS:
            break
        i -= 1
    return i


def find(text: str) -> list[Finding]:
    """ID numbers, phone numbers and street addresses in `text`, non-overlapping, in text order."""
    if not text:
        return []
    norm = text.translate(_FULLWIDTH)
    found: list[Finding] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, start: int, end: int) -> None:
        if any(start < e and s < end for s, e in taken):
            return
        taken.append((start, end))
        found.append(Finding(kind, start, end, text[start:end]))

    for pattern in (_ID18, _ID15):
        for m in pattern.finditer(norm):
            add("id", m.start(), m.end())
    for pattern in (_MOBILE, _LANDLINE):
        for m in pattern.finditer(norm):
            add("phone", m.start(), m.end())
    for m in _ADDRESS.finditer(norm):
        start = _street_start(norm, m.start())
        last = found[-1] if found and found[-1].kind == "address" else None
        # A building after the street (体育西路191号中石化大厦B塔2001室, or with spaces between) is the
        # same address: its street walk reaches back into, or only spaces separate it from, the last one.
        joins = last is not None and (start <= last.end or not norm[last.end : start].strip())
        if last is not None and joins and last.end <= m.start():
            taken[-1] = (last.start, m.end())
            found[-1] = Finding("address", last.start, m.end(), text[last.start : m.end()])
            continue
        add("address", start, m.end())
    return sorted(found, key=lambda f: f.start)


def mask_resident_id(number: str) -> str:
    """An ID number with only its first four characters (province, prefecture) shown.

    The remaining characters encode the county, the birth date, the sequence (with the sex) and a check
    character; published together with an age and a sex, any of them narrows the number towards a
    handful of candidates (see docs/public-query-threat-model.md). Length is kept: 18 → 4 + 14 stars.
    """
    value = "".join(number.translate(_FULLWIDTH).split()).replace("-", "").upper()
    return value[:4] + "*" * max(len(value) - 4, 0)


def _mask_phone(value: str) -> str:
    digits = re.sub(r"\D", "", value.translate(_FULLWIDTH))
    if len(digits) >= 11 and digits[-11] == "1":  # mobile (maybe after +86)
        return digits[-11:-8] + "****" + digits[-4:]
    area = re.match(r"\D*(0\d{2,3})", value.translate(_FULLWIDTH))
    return (area.group(1) + "-" if area else "") + "*" * 8


def mask_address(address: str) -> str:
    """An address reduced to its administrative area (province, city, county), the rest masked.

    广东省广州市天河区体育西路123号 → 广东省广州市天河区****. A value that is only an area (nothing
    after the county) is returned unchanged; an empty one stays empty.
    """
    value = address.strip()
    if not value:
        return ""
    prefix = _AREA_PREFIX.match(value)
    head = prefix.group(0) if prefix else ""
    return value if head == value else head + MASK


def redact(text: str) -> str:
    """`text` with every :func:`find` finding masked (see the module contract for each kind)."""
    findings = find(text)
    if not findings:
        return text
    out: list[str] = []
    last = 0
    for f in findings:
        out.append(text[last : f.start])
        if f.kind == "id":
            out.append(mask_resident_id(f.value))
        elif f.kind == "phone":
            out.append(_mask_phone(f.value))
        else:
            out.append(MASK)
        last = f.end
    out.append(text[last:])
    return "".join(out)
