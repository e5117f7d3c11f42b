"""Name keys for the public query: simplified Chinese and toneless pinyin (pypinyin, OpenCC t2s)."""

from __future__ import annotations

import functools
import unicodedata

import opencc
from pypinyin import lazy_pinyin


@functools.lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def simplified(name: str) -> str:
    """NFKC-folded, whitespace-free, simplified form of a name (繁體 → 简体)."""
    text = "".join(unicodedata.normalize("NFKC", name).split())
    return str(_t2s().convert(text))


def pinyin_key(name: str) -> str:
    """Toneless full pinyin without separators, lower-case: 张三 → zhangsan."""
    return "".join(lazy_pinyin(simplified(name))).lower()


def is_latin(text: str) -> bool:
    return all(c.isascii() and c.isalpha() for c in text)
