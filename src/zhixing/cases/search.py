"""Case search: 案号 (any part), party name or former name, identity number, applicant.

`search_filter(q)` is the one box of the case list and of the top bar: a case matches when its number
contains the normalised query, or one of its parties' names or former names starts with it, or a party's
identity number / credit code equals it, or (4 to 17 digits, maybe a closing X) ends with it. Court
scoping is the caller's (`queries.filtered_cases` starts from the scoped cases).

案号 queries are normalised to how numbers are stored (`（2026）粤0106执1号`): full-width digits and
letters become half-width, every kind of bracket becomes the full-width pair, spaces go.
On PostgreSQL the number and identity columns carry pg_trgm GIN indexes when the extension can be
created (migration `0017_finder_search_indexes`), so `%…%` and `%…` patterns read an index there.
"""

from __future__ import annotations

import re
import unicodedata
from contextlib import suppress

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from zhixing.core.id_documents import parse_subject
from zhixing.core.identity import IdentityError

from .conf import full_width_brackets
from .parties import Party, PartyAlias

MAX_QUERY = 64
_OPENING = "(（[［〔【{｛〈《"
_CLOSING = ")）]］〕】}｝〉》"
_BRACKETS = str.maketrans({**dict.fromkeys(_OPENING, "（"), **dict.fromkeys(_CLOSING, "）")})
_SPACES = re.compile(r"\s+")
# The tail of an identity number: at least 4 characters, digits with an optional closing check letter.
ID_TAIL = re.compile(r"^\d{3,16}[\dXx]$")
# A whole identity number of any document (as `queries.ID_LIKE`).
ID_WHOLE = re.compile(r"^(?=.*\d)[0-9A-Za-z:\-]{5,32}$")


_HALF = str.maketrans({**dict.fromkeys(_OPENING, "("), **dict.fromkeys(_CLOSING, ")")})


def normalise_number(text: str) -> str:
    """A 案号 query as numbers are stored: half-width digits/letters, the configured brackets (full-width
    by default, `conf.full_width_brackets`), no spaces."""
    out = []
    for ch in text:
        if ch in _OPENING or ch in _CLOSING:
            out.append(ch)
        else:
            out.append(unicodedata.normalize("NFKC", ch))
    return _SPACES.sub("", "".join(out).translate(_BRACKETS if full_width_brackets() else _HALF))


def _id_values(term: str) -> set[str]:
    values = {term.upper().replace("-", "")}
    with suppress(IdentityError):
        values.add(parse_subject(term, timezone.localdate()).number)
    return values


def _name_prefix(term: str) -> Q:
    # A range instead of LIKE: both SQLite and PostgreSQL answer it from the plain B-tree index.
    return Q(name__gte=term, name__lt=term + "\uffff")


def party_filter(term: str, role: str | None = None) -> Q:
    """Cases with a party (of `role`, or any) named / formerly named `term…`, or with that exact ID."""
    term = normalise_number(term)[:MAX_QUERY]
    roles = {"role": role} if role else {}
    alias_roles = {"party__role": role} if role else {}
    match = Q(Exists(Party.objects.filter(_name_prefix(term), case=OuterRef("pk"), **roles))) | Q(
        Exists(PartyAlias.objects.filter(_name_prefix(term), party__case=OuterRef("pk"), **alias_roles))
    )
    if ID_WHOLE.match(term):
        values = _id_values(term)
        match |= Q(
            Exists(
                Party.objects.filter(
                    Q(id_number__in=values) | Q(credit_code__in=values), case=OuterRef("pk"), **roles
                )
            )
        )
    return match


NAME_ID_CAP = 2000  # past this many cases matched by name, filter with subqueries instead of an id list


def _party_case_ids(term: str, limit: int = NAME_ID_CAP) -> set[int] | None:
    """Case ids with a party named / formerly named `term…` or with that exact ID (indexed look-ups)."""
    q = _name_prefix(term)
    ids = set(Party.objects.filter(q).order_by().values_list("case_id", flat=True)[: limit + 1])
    ids.update(PartyAlias.objects.filter(q).order_by().values_list("party__case_id", flat=True)[: limit + 1])
    if ID_WHOLE.match(term):
        values = _id_values(term)
        ids.update(
            Party.objects.filter(Q(id_number__in=values) | Q(credit_code__in=values))
            .order_by()
            .values_list("case_id", flat=True)
        )
    return ids if len(ids) <= limit else None


def search_filter(text: str) -> Q:
    """The one-box search: 案号 part, party name / former name prefix, identity number or its tail."""
    term = normalise_number(text)[:MAX_QUERY]
    if not term:
        return Q()
    ids = _party_case_ids(term)
    match = Q(number__contains=term) | (Q(pk__in=ids) if ids is not None else party_filter(term))
    if ID_TAIL.match(term):
        tail = term.upper()
        match |= Q(
            Exists(
                Party.objects.filter(
                    Q(id_number__endswith=tail) | Q(credit_code__endswith=tail), case=OuterRef("pk")
                )
            )
        )
    return match
