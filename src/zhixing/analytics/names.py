"""Is this counterparty that related person? Name and account matching for statements (pure).

Statements rarely write a relative's name as the court recorded it: Alipay writes "支付宝-李四" or
"李*", WeChat "微信转账-李四", banks "李四(个人)", a foreign card "LI SI", an export from Taiwan or Hong
Kong "李四" in traditional characters or full-width letters, and some show only the account
("6222****1234"). `match` compares one counterparty (name and account) with the recorded related parties
and says how it matched, so the finding can show the judge why the line is counted:

- `account`: the account numbers agree (a masked one by its visible prefix and suffix, ≥ 4 visible);
- `name`: the same name once platform prefixes/suffixes, spaces, width and traditional forms are removed;
- `pinyin`: a Latin-letter name with the same toneless pinyin (either order of surname and given name);
- `masked`: a masked name ("张*", "*三", "张**") whose visible characters and length fit.

A masked name that fits several related persons is matched to the first and the others are named.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field

import opencc
from pypinyin import lazy_pinyin

# Platform words written around a name: "支付宝-", "微信转账-", "转账给", "(个人)", "（商户）"…
PREFIX = re.compile(
    r"^(?:(?:支付宝|微信|财付通|云闪付|银联|手机银行|网银)(?:转账|红包|支付|收款|付款)?|转账|汇款|付款|收款)"
    r"(?:给|至|到|[-—_:：/|])+"
)
SUFFIX = re.compile(r"[(\[](?:个人|本人|个体户?|商户|特约商户|个人商户|收款码|二维码收款|\d{4})[)\]]$")
MASK = re.compile(r"[*＊×•●]+")
MASK_CHARS = "*＊×•●"


@functools.lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def _fold(text: str) -> str:
    """NFKC (full-width → half-width), no whitespace, simplified characters, lower-case Latin."""
    folded = unicodedata.normalize("NFKC", text or "")
    folded = "".join(folded.split())
    return str(_t2s().convert(folded)).lower()


@functools.lru_cache(maxsize=4096)
def word_key(text: str) -> str:
    """How a word of one export is compared with another's (column names, direction words): width,
    spaces, case and traditional characters ignored."""
    return _fold(text).strip("\ufeff")


@functools.lru_cache(maxsize=65536)
def clean_name(text: str) -> str:
    """The name a counterparty field carries, without platform prefixes, suffixes, spaces or width:
    "支付宝-李四" → "李四", "李 四(个人)" → "李四", "微信转账-張三" → "张三"."""
    name = _fold(text)
    for _ in range(3):  # "支付宝-转账-李四(个人)(1234)" carries more than one wrapper
        stripped = SUFFIX.sub("", PREFIX.sub("", name))
        if stripped == name:
            break
        name = stripped
    return name


def is_masked(name: str) -> bool:
    return any(c in MASK_CHARS for c in name)


def _masked_pattern(masked: str) -> re.Pattern[str] | None:
    """A masked name as a pattern: each masked run of k characters stands for k hidden ones; a single
    mask character alone stands for one or two (platforms write "张*" for 张三 and for 张三丰)."""
    visible = MASK.sub("", masked)
    if not visible:
        return None
    runs = MASK.findall(masked)
    single = len(runs) == 1 and len(runs[0]) == 1
    parts = []
    for piece in re.split(f"([{re.escape(MASK_CHARS)}]+)", masked):
        if not piece:
            continue
        if piece[0] in MASK_CHARS:
            parts.append(".{1,2}" if single else f".{{{len(piece)}}}")
        else:
            parts.append(re.escape(piece))
    return re.compile("^" + "".join(parts) + "$")


def pinyin_keys(name: str) -> set[str]:
    """Toneless pinyin of a name, surname first and last: 张三 → {zhangsan, sanzhang}."""
    syllables = [s.lower() for s in lazy_pinyin(_fold(name)) if s.strip()]
    if not syllables:
        return set()
    return {"".join(syllables), "".join(syllables[1:] + syllables[:1])}


def _latin_keys(text: str) -> set[str]:
    """A Latin-letter name as pinyin keys: "Zhang San", "SAN ZHANG", "zhang-san" → {zhangsan, sanzhang}."""
    raw = unicodedata.normalize("NFKC", text or "").lower().strip()
    words = [w for w in re.split(r"[\s.·'_-]+", raw) if w]
    if not words or not all(w.isascii() and w.isalpha() for w in words):
        return set()
    return {"".join(words), "".join(words[1:] + words[:1])}


def latin_name_keys(counterparty: str, cleaned: str) -> set[str]:
    """The keys `name_match` compares a counterparty by with `pinyin_keys`: its Latin-letter name as
    written, else as cleaned (`cleaned` is `clean_name(counterparty)`)."""
    return _latin_keys(counterparty) or _latin_keys(cleaned)


def masked_fits(masked: str, name: str) -> bool:
    """Whether a cleaned masked name ("张*") fits a cleaned name ("张三"): `_masked_pattern`."""
    pattern = _masked_pattern(masked)
    return pattern is not None and pattern.match(name) is not None


def _digits_and_masks(account: str) -> str:
    text = unicodedata.normalize("NFKC", account or "").lower()
    return "".join(c for c in text if c.isalnum() or c in MASK_CHARS or c in "@.")


def accounts_match(a: str, b: str) -> bool:
    """Whether two account numbers can be the same account: equal, or one masked whose visible prefix
    and suffix (at least 4 characters in all) fit the other ("6222****1234" ~ "6222020012341234")."""
    x, y = _digits_and_masks(a), _digits_and_masks(b)
    if not x or not y:
        return False
    if x == y and not MASK.search(x):
        return len(x) >= 4
    for masked, full in ((x, y), (y, x)):
        if MASK.search(masked) and not MASK.search(full):
            visible = MASK.sub("", masked)
            if len(visible) < 4:
                continue
            pattern = "^" + ".+".join(re.escape(p) for p in MASK.split(masked)) + "$"
            if re.match(pattern, full):
                return True
    if MASK.search(x) and MASK.search(y):  # both masked: the visible ends must agree and be long enough
        px, sx = MASK.split(x)[0], MASK.split(x)[-1]
        py, sy = MASK.split(y)[0], MASK.split(y)[-1]
        return (
            len(sx) >= 4
            and len(sy) >= 4
            and (sx.endswith(sy) or sy.endswith(sx))
            and (px.startswith(py) or py.startswith(px))
        )
    return False


def account_ends(account: str) -> tuple[str, str]:
    """The visible start and end of an account as `accounts_match` reads them ("6222****1234" →
    ("6222", "1234"), an unmasked one is both): two accounts can match only if one start begins with
    the other and one end ends with the other, so a batch checks only the pairs that pass this."""
    parts = MASK.split(_digits_and_masks(account))
    return parts[0], parts[-1]


@dataclass(frozen=True)
class Related:
    """A related person or company as the court recorded it."""

    name: str
    account: str = ""
    why: str = ""


@dataclass(frozen=True)
class Match:
    related: Related
    how: str  # account | name | pinyin | masked
    others: tuple[str, ...] = field(default_factory=tuple)

    @property
    def label(self) -> str:
        text = {
            "account": "账号相符",
            "name": "名称相符",
            "pinyin": "拼音相符",
            "masked": "遮蔽姓名相符",
        }[self.how]
        if self.others:
            text += "，亦可能为" + "、".join(self.others)
        return text


@functools.lru_cache(maxsize=65536)
def name_match(counterparty: str, name: str) -> str:
    """How a counterparty's name fits one recorded name: "name", "pinyin", "masked" or ""."""
    cp, target = clean_name(counterparty), clean_name(name)
    if not cp or not target:
        return ""
    if cp == target:
        return "name"
    if is_masked(cp):
        return "masked" if masked_fits(cp, target) else ""
    latin = latin_name_keys(counterparty, cp)
    if latin and latin & pinyin_keys(target):
        return "pinyin"
    return ""


HOW_RANK = {"account": 0, "name": 1, "pinyin": 2, "masked": 3}


def how_matched(counterparty: str, account: str, name: str, related_account: str) -> str:
    """How one counterparty (name, account) fits one recorded person: a `HOW_RANK` key or ""."""
    if related_account and account and accounts_match(account, related_account):
        return "account"
    return name_match(counterparty, name)


def match(counterparty: str, account: str, related: list[Related], own_name: str = "") -> Match | None:
    """The related person this counterparty is, with how it matched; None if nobody fits.

    An account match wins over a name; an exact or pinyin name over a masked one; among masked fits the
    first recorded person is taken and the others are named (the judge decides). A counterparty that
    fits the debtor's own name (`own_name`, "张*" for debtor 张三) is the debtor's own account: no match.
    """
    if own_name and name_match(counterparty, own_name):
        return None
    for r in related:
        if r.account and account and accounts_match(account, r.account):
            return Match(r, "account")
    masked: list[Related] = []
    for r in related:
        how = name_match(counterparty, r.name)
        if how in ("name", "pinyin"):
            return Match(r, how)
        if how == "masked":
            masked.append(r)
    if masked:
        return Match(masked[0], "masked", tuple(r.name for r in masked[1:]))
    return None


def same_person_name(a: str, b: str) -> bool:
    """Two written names of one person (width, spaces, traditional forms, pinyin) — never by masking."""
    return name_match(a, b) in ("name", "pinyin") or name_match(b, a) in ("name", "pinyin")
