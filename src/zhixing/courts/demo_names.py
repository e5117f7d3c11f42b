"""Realistic Chinese names for demo data: people (surname + a one- or two-character given name) and
companies (地名 + 字号 + 行业 + 有限公司).

Surnames are drawn by their share of the population (Faker's zh_CN table, from the national household
register statistics). Given names are whole names, never concatenations of two names (the old generator
made fakes like 廖婷婷小红): each comes from the most common given names of the birth cohort and sex
(公安部户籍统计 "全国姓名报告", 1950s–2010s), weighted so the commonest repeat as they do in a real
court's docket. Deterministic for a given `random.Random`.
"""

from __future__ import annotations

import bisect
import itertools
import random

from faker.providers.person.zh_CN import Provider as _PersonProvider


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# -- given names by cohort and sex (commonest first; weights fall off with rank) ----------------------

_OLDER_M = _words(
    "建国 建华 国强 建军 志强 建平 国华 卫东 明 军 伟 勇 强 平 刚 华 斌 国平 建明 志明 永强 德明 "
    "国庆 红军 海 林 峰 文 建新 振华 春生 金生 德华 志刚 新华 卫国 光明 进 忠 东 学军 庆华"
)
_OLDER_F = _words(
    "秀英 桂英 秀兰 玉兰 桂兰 秀珍 凤英 玉珍 玉英 兰英 淑珍 丽华 红梅 春梅 桂芳 秀芳 美华 建英 "
    "玉梅 淑英 红 英 华 萍 芳 霞 珍 兰 梅 琴 凤兰 冬梅 素珍 月英 金凤 惠珍 翠兰 小红 丽萍 爱华"
)
_MIDDLE_M = _words(
    "伟 勇 军 磊 涛 斌 强 鹏 杰 峰 超 波 辉 刚 健 明 亮 俊 飞 凯 浩 华 平 鑫 宁 志强 志明 海涛 建华 "
    "晓东 国栋 文杰 海波 俊杰 建伟 永刚 志伟 晓明 家豪 伟强 锦辉 志豪 俊峰 海峰 振宇 立新 卫华 少华"
)
_MIDDLE_F = _words(
    "丽 静 敏 燕 艳 娟 霞 芳 玲 丹 萍 红 婷 莉 娜 颖 慧 琳 晶 洁 丽娟 海燕 晓燕 丽华 秀梅 丽萍 "
    "晓红 红霞 春燕 雪梅 晓丽 美玲 少芬 惠芳 秀清 小燕 淑华 彩霞 丽君 丽芳 翠华 巧玲 凤霞 玉婷"
)
_YOUNG_M = _words(
    "浩 宇 鑫 杰 磊 帅 鹏 博 涛 强 浩然 子豪 俊杰 宇轩 子轩 浩宇 一鸣 家乐 嘉豪 梓豪 文博 天宇 "
    "志远 思远 俊豪 晓峰 泽宇 明轩 建宏 子健 睿 昊 晨 阳 嘉伟 文轩 皓轩 家俊 伟杰 梓健 锦程 铭"
)
_YOUNG_F = _words(
    "婷 静 敏 洁 丹 琳 颖 倩 雪 悦 欣怡 雨涵 佳怡 思琪 诗涵 梓涵 子涵 雨欣 欣然 晓雯 婷婷 雅婷 "
    "佳慧 思雨 梦瑶 嘉欣 慧敏 美琪 晓婷 文静 可欣 紫涵 心怡 雅琪 佳琪 诗琪 晓彤 梓琪 淑怡 宛婷"
)

# born up to (year), share of one-character given names, male names, female names
_COHORTS: tuple[tuple[int, float, tuple[str, ...], tuple[str, ...]], ...] = (
    (1969, 0.25, _OLDER_M, _OLDER_F),
    (1989, 0.3, _MIDDLE_M, _MIDDLE_F),
    (9999, 0.15, _YOUNG_M, _YOUNG_F),
)


def _zipf(n: int) -> list[float]:
    """Cumulative weights 1/(rank+4): the commonest names repeat, the tail still shows up."""
    return list(itertools.accumulate(1.0 / (rank + 4) for rank in range(n)))


_SURNAMES = list(_PersonProvider.last_names.keys())
_SURNAME_CUM = list(itertools.accumulate(_PersonProvider.last_names.values()))

# -- companies -------------------------------------------------------------------------------------

# 字号 (trade names): two characters, each from the characters Chinese firms actually favour.
_TRADE_FIRST = "恒华鑫盛宏信泰达隆兴源丰瑞嘉誉金德安佳润利永昌富鼎晟汇联创益万天中新海粤南鹏康祥凯宝和通立"
_TRADE_SECOND = "达华信泰源丰盛兴隆通发安成利昌辉宇鑫润德美嘉祥诚运航锦邦峰洋业晖豪远"
INDUSTRIES = (
    "科技",
    "贸易",
    "建筑工程",
    "房地产开发",
    "物流",
    "餐饮管理",
    "电子",
    "投资",
    "装饰工程",
    "商贸",
    "服饰",
    "供应链管理",
    "文化传播",
    "医疗器械",
    "汽车销售",
    "劳务派遣",
    "实业",
    "网络科技",
    "食品",
    "五金制品",
    "机电设备",
    "物业管理",
    "建材",
    "印刷",
)
_FORMS = ("有限公司", "有限公司", "有限公司", "有限公司", "股份有限公司", "有限责任公司")


class Names:
    """A name source drawing from one seeded RNG."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        # (cohort, sex, length) → (names, cumulative weights)
        self._pools: dict[tuple[int, str, int], tuple[list[str], list[float]]] = {}
        for upto, _, m, f in _COHORTS:
            for sex, names in (("M", m), ("F", f)):
                for length in (1, 2):
                    pool = [n for n in names if len(n) == length]
                    self._pools[(upto, sex, length)] = (pool, _zipf(len(pool)))

    def surname(self) -> str:
        at = bisect.bisect(_SURNAME_CUM, self.rng.random() * _SURNAME_CUM[-1])
        return _SURNAMES[min(at, len(_SURNAMES) - 1)]

    def given(self, sex: str | None = None, born: int | None = None) -> str:
        r = self.rng
        sex = sex if sex in ("M", "F") else r.choice("MF")
        born = born or r.randint(1955, 2000)
        for upto, single, _, _ in _COHORTS:
            if born <= upto:
                names, cum = self._pools[(upto, sex, 1 if r.random() < single else 2)]
                return names[min(bisect.bisect(cum, r.random() * cum[-1]), len(names) - 1)]
        raise AssertionError("unreachable: the last cohort is open-ended")

    def person(self, sex: str | None = None, born: int | None = None, surname: str | None = None) -> str:
        """姓 + 名: at most four characters (a compound surname with a two-character given name)."""
        return (surname or self.surname()) + self.given(sex, born)

    def trade_name(self) -> str:
        r = self.rng
        first = r.choice(_TRADE_FIRST)
        second = r.choice(_TRADE_SECOND.replace(first, ""))
        return first + second

    def company(self, place: str) -> str:
        """地名 + 字号 + 行业 + 组织形式, e.g. 广州市恒达建筑工程有限公司 (`place`: 广州市, 广州市天河区)."""
        r = self.rng
        return f"{place}{self.trade_name()}{r.choice(INDUSTRIES)}{r.choice(_FORMS)}"


def staff_name(username: str, taken: set[str] | None = None) -> str:
    """A stable realistic name for a demo login (the same on every machine and every run), not in `taken`."""
    seed = sum((i + 1) * ord(c) for i, c in enumerate(username))
    names = Names(random.Random(seed))
    while True:
        name = names.person(born=names.rng.randint(1965, 1995))
        if taken is None or name not in taken:
            return name
