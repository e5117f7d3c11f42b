"""Deterministic synthetic holdings: the same ID number always has the same accounts, houses and cars.

Everything is derived from SHA-256 of (category, ID number), so any debtor gets a stable, plausible
portfolio without a database. About a third of people hold nothing in a given category.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass
from decimal import Decimal

MASTER_SECRET_ENV = "ZHIXING_SANDBOX_SECRET"
DEFAULT_MASTER_SECRET = "zhixing-sandbox-dev"

# code → (name, category, asset kind, actions). Category codes match the platform's seeded categories.
PARTNERS: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "BANK-ICBC": ("中国工商银行", "deposit", "account", ("query", "freeze", "deduct", "release", "renew")),
    "REG-ESTATE": (
        "自然资源部不动产登记中心",
        "real_estate",
        "house",
        ("query", "seize", "release", "renew"),
    ),
    "MPS-VEHICLE": ("公安部交通管理局", "vehicle", "vehicle", ("query", "seize", "release", "renew")),
    "CSDC": ("中国证券登记结算有限公司", "securities", "securities", ("query", "freeze", "release", "renew")),
    "MOT-VESSEL": ("交通运输部海事局", "vessel", "vessel", ("query", "seize", "release", "renew")),
    "PAY-ALIPAY": (
        "支付宝（中国）网络技术有限公司",
        "online_payment",
        "account",
        ("query", "freeze", "deduct", "release", "renew"),
    ),
    "SAMR-EQUITY": ("国家市场监督管理总局", "equity", "equity", ("query", "freeze", "release", "renew")),
    "STA-TAX": ("国家税务总局", "tax", "info", ("query",)),
    "MOHRSS-SI": ("人力资源和社会保障部", "social_insurance", "info", ("query",)),
    "NIA-EXIT": ("国家移民管理局", "exit_entry", "info", ("query",)),
    "MPS-HUKOU": ("公安部人口信息管理中心", "population", "info", ("query",)),
    "BANK-WMP": (
        "银行业理财登记托管中心",
        "financial_product",
        "account",
        ("query", "freeze", "deduct", "release", "renew"),
    ),
    "INS-ASSOC": ("中国保险信息技术管理有限公司", "insurance", "info", ("query",)),
    "CFMMC": ("中国期货市场监控中心", "futures", "account", ("query", "freeze", "release", "renew")),
    "MCA-MARRIAGE": ("民政部婚姻登记信息系统", "marriage", "info", ("query",)),
    "BANK-WEBANK": (
        "深圳前海微众银行",
        "internet_bank",
        "account",
        ("query", "freeze", "deduct", "release", "renew"),
    ),
}

_CITIES = ["广州市天河区", "广州市越秀区", "深圳市福田区", "佛山市禅城区", "东莞市南城区", "珠海市香洲区"]
_PLATES = "粤A粤B粤C粤E粤S粤C"
_BRANDS = ["丰田凯美瑞", "本田雅阁", "比亚迪汉", "大众帕萨特", "特斯拉Model 3"]
_COMPANIES = ["广州某贸易有限公司", "深圳某科技有限公司", "佛山某陶瓷有限公司"]


def partner_secret(code: str, master: str | None = None) -> str:
    """The shared secret of a sandbox partner, derived from the sandbox's master secret."""
    key = (master or os.environ.get(MASTER_SECRET_ENV) or DEFAULT_MASTER_SECRET).encode()
    return hmac.new(key, code.encode(), hashlib.sha256).hexdigest()[:40]


@dataclass(frozen=True)
class Holding:
    ref: str
    kind: str
    description: str
    value: Decimal
    divisible: bool
    closed: bool = False
    prior_seizures: int = 0  # seizures by other courts already registered (轮候)

    def as_json(self) -> dict[str, object]:
        return {
            "ref": self.ref,
            "kind": self.kind,
            "description": self.description,
            "value": str(self.value),
            "divisible": self.divisible,
            "closed": self.closed,
            "prior_seizures": self.prior_seizures,
        }


def _seed(category: str, subject: str) -> bytes:
    return hashlib.sha256(f"{category}|{subject}".encode()).digest()


def _money(b: bytes, scale: int) -> Decimal:
    return Decimal(int.from_bytes(b[:4], "big") % (scale * 100)) / 100


def holdings(partner_code: str, subject: str) -> list[Holding]:
    """The holdings of `subject` (ID number or credit code) at a partner; [] for info-only partners."""
    spec = PARTNERS.get(partner_code)
    if spec is None:
        return []
    _, category, kind, _ = spec
    seed = _seed(category, subject)
    count = seed[0] % 3  # 0, 1 or 2 items
    out: list[Holding] = []
    for i in range(count):
        b = hashlib.sha256(seed + bytes([i])).digest()
        if kind == "account":
            closed = b[5] % 10 == 0
            out.append(
                Holding(
                    # the code's last four letters or digits ("BANK-WMP" → "KWMP", never "-WMP")
                    f"{''.join(c for c in partner_code if c.isalnum())[-4:]}"
                    f"{int.from_bytes(b[6:12], 'big') % 10**12:012d}",
                    kind,
                    "活期储蓄账户" if category in ("deposit", "internet_bank") else "资金账户",
                    Decimal("0.00") if closed else _money(b, 80000),
                    True,
                    closed=closed,
                )
            )
        elif kind == "house":
            out.append(
                Holding(
                    f"粤({2015 + b[1] % 10})不动产权第{int.from_bytes(b[2:6], 'big') % 10**7:07d}号",
                    kind,
                    f"{_CITIES[b[6] % len(_CITIES)]}某小区{b[7] % 30 + 1}栋{b[8] % 30 + 1}01房",
                    Decimal(500000 + int.from_bytes(b[9:12], "big") % 3000000),
                    False,
                    prior_seizures=1 if b[12] % 4 == 0 else 0,
                )
            )
        elif kind in ("vehicle", "vessel"):
            plate = _PLATES[(b[1] % 6) * 2 : (b[1] % 6) * 2 + 2]
            ref = (
                f"{plate}{int.from_bytes(b[2:5], 'big') % 10**5:05d}"
                if kind == "vehicle"
                else f"粤渔{b[2]:03d}{b[3]:02d}"
            )
            out.append(
                Holding(
                    ref,
                    kind,
                    _BRANDS[b[5] % len(_BRANDS)] if kind == "vehicle" else "渔船",
                    Decimal(30000 + int.from_bytes(b[6:9], "big") % 300000),
                    False,
                    prior_seizures=1 if b[10] % 5 == 0 else 0,
                )
            )
        elif kind in ("securities", "equity"):
            out.append(
                Holding(
                    f"{'A' if kind == 'securities' else 'GQ'}{int.from_bytes(b[1:6], 'big') % 10**10:010d}",
                    kind,
                    "证券账户持仓"
                    if kind == "securities"
                    else f"{_COMPANIES[b[7] % 3]} {b[8] % 50 + 1}%股权",
                    _money(b, 500000),
                    kind == "securities",
                )
            )
    return out


def information(partner_code: str, subject: str, name: str) -> dict[str, object]:
    """Information-only answers (population register, tax, social insurance, exit records...)."""
    spec = PARTNERS.get(partner_code)
    if spec is None:
        return {}
    category = spec[1]
    b = _seed(category, subject)
    if category == "population":
        return {
            "name": name,
            "former_names": [name[:1] + "某" + name[-1:]] if b[0] % 3 == 0 else [],
            "household_address": f"{_CITIES[b[1] % len(_CITIES)]}某街道{b[2] % 200 + 1}号",
        }
    if category == "exit_entry":
        return {"passport": b[0] % 2 == 0, "exits_last_year": b[1] % 4}
    if category == "tax":
        return {"annual_income": str(_money(b, 300000))}
    if category == "social_insurance":
        return {
            "employer": _COMPANIES[b[1] % 3] if b[0] % 2 else "",
            "housing_fund": str(_money(b[2:], 60000)),
        }
    if category == "marriage":
        return {"married": b[0] % 2 == 0}
    if category == "insurance":
        return {"policies": b[0] % 3}
    return {}
