"""Public search of the dishonest list (失信被执行人名单公开查询) and the exposure board."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import (
    Listing,
)
from .names import is_latin, simplified

PUBLIC_LIMIT = 20
MIN_NAME_CHARS = 2
_ID = re.compile(r"^(\d{17}[\dX]|[0-9A-HJ-NPQRTUWXY]{18})$")
_WILDCARDS = set("%*?_")


# -- public search ----------------------------------------------------------------------
class QueryTooBroad(ValueError):
    """The public query is empty, too short, has wildcards, or asks by ID number without the name."""

    def __init__(self, message: str, field: str = "q") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class PublicQuery:
    """A validated public query: a name key, and the ID number / credit code when one was given."""

    name: str  # simplified name, or toneless pinyin when `pinyin`
    pinyin: bool
    number: str = ""


def published() -> QuerySet[Listing]:
    return Listing.objects.filter(status=Listing.Status.ACTIVE, publish_on__lte=timezone.localdate())


MAX_QUERY_CHARS = 128  # a party's name is at most 128 characters


def parse_public_query(q: str, number: str = "") -> PublicQuery:
    """Validate a public query without touching the database (so a refusal says nothing about the list).

    Follows 中国执行信息公开网: a name alone (simplified or traditional; toneless full pinyin, exact,
    ≥ 4 letters; two characters match exactly, three or more also by prefix), or the name together with
    the full ID number / credit code — an ID number alone is refused (field ``q``), and with an ID
    number the name must be the full name in characters (field ``q``).
    """
    text = "".join(unicodedata.normalize("NFKC", q or "").split()).upper()
    raw_number = "".join(unicodedata.normalize("NFKC", number or "").split()).upper()
    for value, field in ((text, "q"), (raw_number, "id")):
        if any(c in _WILDCARDS for c in value):
            raise QueryTooBroad("查询条件不能包含通配符", field)
        if len(value) > MAX_QUERY_CHARS:  # no name or code is longer; a huge LIKE prefix overflows SQLite
            raise QueryTooBroad(f"查询内容过长：最多{MAX_QUERY_CHARS}个字", field)
    if _ID.match(text):
        raise QueryTooBroad("按身份证号/统一社会信用代码查询须同时填写被执行人姓名/名称全称", "q")
    if not text:
        if raw_number:
            raise QueryTooBroad("按身份证号/统一社会信用代码查询须同时填写被执行人姓名/名称全称", "q")
        raise QueryTooBroad("请输入被执行人姓名/名称")
    if raw_number:
        if not _ID.match(raw_number):
            raise QueryTooBroad("证件号码应为18位公民身份号码或统一社会信用代码", "id")
        if is_latin(text):
            raise QueryTooBroad("按证件号码查询时请填写被执行人姓名/名称全称（汉字）", "q")
        return PublicQuery(simplified(q), False, raw_number)
    if len(text) < MIN_NAME_CHARS:
        raise QueryTooBroad(f"姓名/名称至少输入{MIN_NAME_CHARS}个字")
    if is_latin(text):
        if len(text) < 4:
            raise QueryTooBroad("拼音查询至少输入4个字母")
        return PublicQuery(text.lower(), True)
    return PublicQuery(simplified(q), False)


def public_search(query: PublicQuery) -> list[Listing]:
    """The published listings a query finds; with an ID number only that person's, under that exact name."""
    qs = published().select_related("court", "case")
    if query.number:
        qs = qs.filter(subject_key=query.number, name_key=query.name)
    elif query.pinyin:
        qs = qs.filter(name_pinyin=query.name)
    elif len(query.name) >= 3:
        # Two-character names match exactly; longer ones (unit names) also by prefix.
        qs = qs.filter(Q(name_key=query.name) | Q(name_key__startswith=query.name))
    else:
        qs = qs.filter(name_key=query.name)
    return list(qs.order_by("-decided_on", "-pk")[:PUBLIC_LIMIT])


def exposure_board(limit: int = 50) -> list[Listing]:
    return list(
        published()
        .filter(exposed_on__isnull=False)
        .select_related("court", "case")
        .order_by("-exposed_on", "-pk")[:limit]
    )
