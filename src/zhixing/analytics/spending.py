"""Spending categories from merchant names and keywords, mapped to the nine restricted items (pure).

限消规定 Art 3(1) lists nine kinds of consumption a restricted debtor may not make (rules.md §3.4). A
statement line never says "item 6"; it says "上海携程国际旅行社有限公司 度假产品" or "北京微播视界科技有限公司
充值". The rule set (`RuleSet.config`, edited in admin as a new version) therefore keeps

- `merchants`: a maintained list of merchant names (the company a platform bills as, e.g. Douyin's
  北京微播视界科技有限公司) with their category and, where the company sells more than one thing, the
  words the line must also carry (`when`: "充值|抖币|礼物" makes a top-up to a live-stream company
  tipping, while its e-commerce lines stay uncategorised);
- `categories`: keyword patterns per category, tried in order after the merchant list;
- `restricted_items`: which category is which restricted item and its screening code (the codes of the
  credit domain's register, so an approved private-consumption window for `flight` frees `air` lines);
- `category_min_amount`: a single-line floor for items the order words as "high" (高额保费, 高档写字楼).

A foreign-currency line is not by itself travel abroad: it is `foreign` (shown, not restricted) unless
it also carries evidence — an abroad keyword, a foreign place in the merchant text, or a travel record
abroad around its date (the last is joined in SQL, `indicators.prepare`).
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

FOREIGN = "foreign"
ABROAD = "abroad"


def fold(text: str) -> str:
    """NFKC (full-width → half-width), lower-case, no whitespace: how names and keywords are compared."""
    return "".join(unicodedata.normalize("NFKC", text or "").lower().split())


@dataclass(frozen=True)
class Merchant:
    name: str  # folded
    category: str
    when: re.Pattern[str] | None


class Catalogue:
    """A rule set's merchant list and keyword patterns, compiled once."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.merchants = [
            Merchant(
                fold(m["name"]),
                str(m["category"]),
                re.compile(m["when"], re.IGNORECASE) if m.get("when") else None,
            )
            for m in config.get("merchants", [])
            if fold(m.get("name", ""))
        ]
        self.patterns = [
            (name, re.compile(pattern, re.IGNORECASE))
            for name, pattern in config["categories"].items()
            if pattern
        ]
        places = config.get("abroad_places") or ""
        self.places = re.compile(places, re.IGNORECASE) if places else None
        self.cash = re.compile(config["cash_markers"] + "|" + config["transfer_markers"], re.IGNORECASE)

    def category(self, text: str) -> str | None:
        """The category of one line's text (counterparty, merchant, summary, category), or None."""
        folded = fold(text)
        for m in self.merchants:
            if m.name in folded and (m.when is None or m.when.search(text)):
                return m.category
        for name, pattern in self.patterns:
            if pattern.search(text) or pattern.search(folded):
                return name
        return None

    def foreign_place(self, text: str) -> bool:
        """Whether the text names a place abroad (evidence that a foreign-currency line was spent there)."""
        return bool(self.places and self.places.search(text))

    def cashlike(self, text: str) -> bool:
        return bool(self.cash.search(text))


@functools.lru_cache(maxsize=32)
def _catalogue(frozen: str) -> Catalogue:
    return Catalogue(json.loads(frozen))


def catalogue(config: dict[str, Any]) -> Catalogue:
    """The compiled catalogue of a rule set (cached per configuration)."""
    keys = ("merchants", "categories", "abroad_places", "cash_markers", "transfer_markers")
    return _catalogue(json.dumps({k: config.get(k) for k in keys}, sort_keys=True, ensure_ascii=False))


def classify(texts: list[str], config: dict[str, Any]) -> list[tuple[str, str | None, bool, bool]]:
    """(text, category, cash-like, names a foreign place) for each distinct text."""
    cat = catalogue(config)
    return [(t, cat.category(t), cat.cashlike(t), cat.foreign_place(t)) for t in texts]


def restricted_item(category: str, config: dict[str, Any]) -> tuple[int, str] | None:
    """(restricted item 1–9 of 限消规定 Art 3(1), screening code) of a category, or None."""
    found = config.get("restricted_items", {}).get(category)
    return (int(found[0]), str(found[1])) if found else None
