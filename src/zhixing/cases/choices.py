"""The choices of an enforcement case: its status, closing mode and obligation.

Re-exported by `zhixing.cases.models`, so callers import them from there.
"""

from __future__ import annotations

from django.db import models


class CaseStatus(models.TextChoices):
    REGISTERED = "registered", "已立案待分案"
    IN_PROGRESS = "in_progress", "执行中"
    SUSPENDED = "suspended", "中止执行"
    DORMANT = "dormant", "终结本次执行"
    CLOSED = "closed", "已结案"


OPEN_STATUSES = (CaseStatus.REGISTERED, CaseStatus.IN_PROGRESS, CaseStatus.SUSPENDED)


class ClosingMode(models.TextChoices):
    """执行工作规定 Art 64 (2020): the six closing modes."""

    PERFORMED = "performed", "执行完毕"
    DORMANT = "dormant", "终结本次执行程序"
    TERMINATED = "terminated", "终结执行"
    WITHDRAWN = "withdrawn", "销案"
    REFUSED = "refused", "不予执行"
    DISMISSED = "dismissed", "驳回申请"


class Obligation(models.TextChoices):
    """What the enforcement basis orders the debtor to do (执行内容).

    Money cases claim an amount; act-performance cases (交付特定物, 迁出房屋/退出土地, 完成指定行为)
    may claim no money at all — their non-performance costs 迟延履行金, not interest
    (SPC-CPL-Interp 2022 Art 505).
    """

    MONEY = "money", "金钱给付"
    DELIVER = "deliver", "交付特定物"
    VACATE = "vacate", "迁出房屋、退出土地"
    ACT = "act", "完成指定行为"
