"""``manage.py funds_demo_reconciliation``: three days of bank reconciliation for the demo, so the
finance page shows every state out of the box: a balanced day, a day with differences (one statement
line the ledger lacks, one ledger receipt the statement lacks — each the other's candidate — with its
alert) and a day whose differences finance confirmed.

It works on the FIFTH court by id (the demo's 越秀区法院; the last court when there are fewer): the
first four courts are used by the other funds demos. Its receipts go to that court's own open cases
(their sub-accounts), else they are unidentified receipts of the court. The statements are built from
the ledger as the sandbox bank's standard export and imported with the built-in layout, as finance
would upload them. Refused in production; running it again does nothing.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from zhixing.cases.models import OPEN_STATUSES, EnforcementCase
from zhixing.core import spreadsheet
from zhixing.courts.models import Court, Staff
from zhixing.courts.roles import Role
from zhixing.funds import services
from zhixing.funds import statement_layouts as sl
from zhixing.funds.models import Reconciliation, ReconciliationItem
from zhixing.funds.services.reconcile import ledger_balance_on, ledger_movements

D = Decimal


def demo_court() -> Court | None:
    courts = list(Court.objects.filter(custody_account__isnull=False).order_by("pk"))
    all_courts = list(Court.objects.order_by("pk"))
    if not all_courts:
        return None
    court = all_courts[4] if len(all_courts) >= 5 else all_courts[-1]
    return court if court in courts else None


def _statement(court: Court, day: date, drop: set[str], extra: list[list[str]]) -> bytes:
    """The day as the sandbox bank's standard export: the ledger's movements less `drop`, plus `extra`."""
    rows: list[list[Any]] = [list(sl.DEFAULT_COLUMNS.values())]
    bal = ledger_balance_on(court.pk, day - timedelta(days=1))
    for i in ledger_movements(court.pk, day, day):
        if i.ref in drop:
            continue
        bal += i.amount
        rows.append([i.ref, day, i.amount, i.party, i.account, "", i.label, bal])
    for ref, amount, name, account, memo in extra:
        bal += D(amount)
        rows.append([ref, day, D(amount), name, account, "", memo, bal])
    return spreadsheet.csv_bytes(rows, bom=False)


FEATURED = "粤0106"  # the demo logins' court: its finance officer's page had "尚无对账记录"


def featured_day(say: Any = None) -> int:
    """天河's latest day with movements in the past fortnight, reconciled against the custody bank's
    statement of that day: every ledger movement on it but one transfer the bank has not credited
    (ledger only), plus a bank charge the ledger lacks (bank only): two differences with their alert.
    Returns the statement's lines (0 when it ran before or the court has no custody account)."""
    court = Court.objects.filter(code=FEATURED, custody_account__isnull=False).first()
    if court is None or Reconciliation.objects.filter(court=court).exists():
        return 0
    finance = Staff.objects.filter(court=court, role=Role.FINANCE, is_active=True).order_by("pk").first()
    if finance is None:
        return 0
    today = timezone.localdate()
    for back in range(1, 15):
        day = today - timedelta(days=back)
        moves = [i for i in ledger_movements(court.pk, day, day) if i.amount > 0]
        if len(moves) >= 2:
            break
    else:
        return 0
    missing = moves[-1].ref  # the bank credits it the next working day
    fee = [[f"CB{court.pk:04d}{day:%Y%m%d}F1", "-15.00", "开户银行", "", "跨行汇划手续费"]]
    imp = services.import_statement(
        finance, court, _statement(court, day, {missing}, fee), f"custody-{day:%Y%m%d}.csv", layout=sl.SANDBOX
    )
    if say:
        say(f"已为{court.name}生成{day:%Y-%m-%d}的银行对账（有差异）")
    return imp.reconciliation.items.count() if imp.reconciliation else 0


class Command(BaseCommand):
    help = "为第五个演示法院生成银行对账演示数据（平衡、有差异、差异已确认各一日）"

    def handle(self, *args: Any, **opts: Any) -> None:
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("生产环境（ZHIXING_PRODUCTION=1）不能生成演示对账数据")
        featured_day(self.stdout.write if int(opts.get("verbosity", 1)) else None)
        court = demo_court()
        if court is None:
            self.stdout.write("没有设置执行款专户的演示法院，跳过对账演示")
            return
        if Reconciliation.objects.filter(court=court).exists():
            return
        finance = Staff.objects.filter(court=court, role=Role.FINANCE, is_active=True).order_by("pk").first()
        if finance is None:
            raise CommandError(f"{court.name}没有财务人员，无法生成对账演示")
        cases = list(EnforcementCase.objects.filter(court=court, status__in=OPEN_STATUSES).order_by("pk")[:3])
        today = timezone.localdate()
        days = [today - timedelta(days=n) for n in (4, 3, 2)]

        def receive(key: str, amount: str, day: date, payer: str, source: str = "manual", n: int = 0) -> None:
            services.book_receipt(
                idempotency_key=key,
                amount=amount,
                value_date=day,
                court=court,
                case=cases[n % len(cases)] if cases else None,
                payer_name=payer,
                payer_account="6222020200011112222",
                memo="执行款",
                source=source,
            )

        tag = f"{court.pk:04d}{days[0]:%Y%m%d}"
        # Day 1: balanced — two receipts, both on the statement.
        receive(f"CBDEMO{tag}01", "12345.60", days[0], "广州市恒发贸易有限公司", n=0)
        receive(f"CBDEMO{tag}02", "8000.00", days[0], "李明", n=1)
        services.import_statement(
            finance, court, _statement(court, days[0], set(), []), "demo-1.csv", layout=sl.SANDBOX
        )
        # Day 2: differences — a deduction booked under the inquiry's key; the bank shows its own id.
        receive(f"DEMO-DED-{tag}-A", "5000.00", days[1], "广州市恒发贸易有限公司", "deduction", n=0)
        extra = [[f"CBDEMO{tag}11", "5000.00", "广州市恒发贸易有限公司", "6222020200011112222", "网络扣划"]]
        services.import_statement(
            finance,
            court,
            _statement(court, days[1], {f"DEMO-DED-{tag}-A"}, extra),
            "demo-2.csv",
            layout=sl.SANDBOX,
        )
        # Day 3: the same story, confirmed by finance.
        receive(f"DEMO-DED-{tag}-B", "2600.00", days[2], "王芳", "deduction", n=2)
        extra = [[f"CBDEMO{tag}21", "2600.00", "王芳", "6222020200011112222", "网络扣划"]]
        imp = services.import_statement(
            finance,
            court,
            _statement(court, days[2], {f"DEMO-DED-{tag}-B"}, extra),
            "demo-3.csv",
            layout=sl.SANDBOX,
        )
        item = ReconciliationItem.objects.filter(
            reconciliation=imp.reconciliation, side=ReconciliationItem.Side.BANK_ONLY
        ).first()
        if item is not None:
            services.confirm_match(finance, item.pk, f"DEMO-DED-{tag}-B")
        if opts.get("verbosity", 1):
            self.stdout.write(f"已为{court.name}生成对账演示：平衡、有差异、差异已确认各一日")
