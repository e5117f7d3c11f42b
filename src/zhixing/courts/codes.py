"""Court codes (法院代字) of the case-number rules — a pure check, no ORM.

案号规定 Arts 4–5 (rules.md §1.3): the SPC is ``最高法``; a higher people's court uses its province-level
abbreviation, one Chinese character (粤, 京, 沪 …; Inner Mongolia ``内``, the PLA Military Court ``军``,
the Xinjiang Production-and-Construction-Corps branch ``兵``); an intermediate court is its higher
court's code + **2 digits**, a basic court its higher court's code + **4 digits** (Art 5). The digits
follow the administrative-division codes (GB/T 2260) but the exceptions of Art 5(2) (railway, maritime,
IP, forestry … courts; cross-regional courts 87–95) mean a basic court's digits need not start with its
intermediate court's — so only the higher court's character is compared.
"""

from __future__ import annotations

import re

__all__ = ["SUPREME_CODE", "court_code_problem"]

SUPREME_CODE = "最高法"
_CJK = r"[\u4e00-\u9fff]"
_DIGITS = {"intermediate": 2, "basic": 4}


def _high_code(code: str) -> str:
    return code[:1]


# rule
def court_code_problem(code: str, level: str, parent_code: str | None) -> str:
    """The Chinese message of what is wrong with `code` for a court of `level` under the court whose
    code is `parent_code`; "" when the code is well formed."""
    if level == "supreme":
        return "" if code == SUPREME_CODE else f"最高人民法院的法院代字应为“{SUPREME_CODE}”（案号规定第4条）"
    if level == "high":
        if not re.fullmatch(_CJK, code):
            return "高级人民法院的法院代字应为省级行政区划简称，1个汉字，如“粤”（案号规定第5条）"
        return ""
    digits = _DIGITS.get(level)
    if digits is None:
        return "法院层级无效"
    name = "中级人民法院" if level == "intermediate" else "基层人民法院"
    if not re.fullmatch(rf"{_CJK}[0-9]{{{digits}}}", code):
        example = "粤" + "0" * (digits - 1) + "1"
        return f"{name}的法院代字应为所属高级人民法院代字加{digits}位数字，如“{example}”（案号规定第5条）"
    if parent_code and _high_code(parent_code) != _high_code(code):
        return f"法院代字“{code}”应以所属高级人民法院的代字“{_high_code(parent_code)}”开头（案号规定第5条）"
    return ""
