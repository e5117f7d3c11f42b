"""``manage.py seed_demo``: load the demo province and cases (the generator is `zhixing.cases.demo`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhixing.cases.demo import BULK_THRESHOLD, Seeder
from zhixing.cases.demo.asset_reports import seed_asset_report_demo
from zhixing.cases.demo.bankruptcy import seed_bankruptcy_demo
from zhixing.cases.demo.coercion import seed_coercion_demo
from zhixing.cases.demo.fidelity import seed_fidelity_demo
from zhixing.cases.demo.judgment_terms import seed_judgment_terms_demo
from zhixing.cases.demo.notice import seed_notice_demo
from zhixing.cases.demo.settlement import seed_settlement_demo
from zhixing.cases.demo.supervision import seed_supervision_orders
from zhixing.courts.models import Court

# The demo's size without `--cases`: what `make run` loads.
DEFAULT_CASES = 400


class Command(BaseCommand):
    help = "生成演示数据：广东省三级法院、团队、各岗位工作人员（密码 zhixing2026）及各种状态的执行案件"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--cases",
            type=int,
            default=DEFAULT_CASES,
            help=f"案件数量（默认{DEFAULT_CASES}；≥20000时使用批量写入）",
        )
        parser.add_argument(
            "--seed", type=int, default=2026, help="随机种子（相同种子、相同日期生成相同数据）"
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="已有法院数据时不做任何事（供启动脚本调用）"
        )
        parser.add_argument("--bulk", action="store_true", help="无论数量多少都使用批量写入（用于核对）")

    def handle(self, *args: Any, **opts: Any) -> None:
        quiet = opts["verbosity"] == 0
        if getattr(settings, "PRODUCTION", False):
            # Every demo login shares the published password zhixing2026: never in a real court's database.
            raise CommandError("生产环境（ZHIXING_PRODUCTION=1）不能生成演示数据：演示账号的密码是公开的")
        if Court.objects.exists():
            if opts["if_empty"]:
                if not quiet:
                    self.stdout.write("已有法院数据，跳过演示数据生成。")
                return
            raise CommandError("数据库中已有法院数据；演示数据只能生成到空数据库（启动脚本请加 --if-empty）")
        n = opts["cases"]
        if n < 0:
            raise CommandError("--cases 不能为负数")
        bulk = opts["bulk"] or n >= BULK_THRESHOLD
        Seeder(out=self.stdout.write, quiet=quiet).run(n, opts["seed"], bulk)
        # The courts' custody accounts at the sandbox bank (funds' own command: cases may not import funds).
        call_command("funds_demo_custody", verbosity=0)
        # Receipts, unidentified receipts and payouts in every state (funds' own command, by name).
        call_command("funds_demo_money", verbosity=0)
        # Payout clocks in every state, with holds for each lawful reason (funds' own command).
        call_command("funds_demo_clocks", verbosity=0)
        # Delay-interest schedules, a 执恢 case carrying its original, custody interest (funds' own command).
        call_command("funds_demo_interest", verbosity=0)
        # Bank reconciliation in every state (balanced, differences, confirmed) on the fifth court.
        call_command("funds_demo_reconciliation", verbosity=0)
        # Flow nodes completed by platform events, with their links (issue 11): each domain's own command.
        call_command("inquiry_demo_events", verbosity=0)
        call_command("credit_demo_restrictions", verbosity=0)
        # Controls expiring, lapsed and queued (轮候), with their alerts (inquiry's own command).
        call_command("inquiry_demo_controls", verbosity=0)
        # Measures linked across domains (cases may not import them either): proposals and consequences.
        call_command("measures_demo", verbosity=0)
        # Analysis profiles with leads in every state (analytics' own command, for the same reason).
        call_command("analytics_demo", verbosity=0)
        # Media partners and exposures in every delivery state (credit's own command, by name).
        call_command("credit_demo", verbosity=0)
        # Cases in every triage (繁简分流) state, through inquiry's own command for the same reason.
        call_command("inquiry_demo_triage", verbosity=0)
        # Distribution plans in every stage on the third basic court (after funds_demo_custody and after
        # the controls demo, so it can tell which court seized first).
        call_command("funds_demo_distribution", verbosity=0)
        seed_supervision_orders()  # 督办: open, replied and overdue unanswered (leaders' pages, issue 13)
        # Control orders waiting for approval, after the demos above found the accounts (issue 13).
        call_command("inquiry_demo_approvals", verbosity=0)
        call_command("credit_demo_decisions", verbosity=0)  # president's approvals, border control (issue 14)
        call_command("credit_demo_repair", verbosity=0)  # Art 8 notices, credit repair (issue 14)
        seed_fidelity_demo()  # issue 15: running interest, instalments, a partnership and its partner
        seed_judgment_terms_demo()  # issue 15 §6.3: an act's 迟延履行金, a HKD judgment at the parity rate
        seed_notice_demo()  # issue 15: an enforcement notice waiting for service and one served
        seed_asset_report_demo()  # issue 15: a debtor's asset report in time and one late
        # Documents of every kind on the demo cases, listed on each case (issue 17; the documents app's own).
        call_command("documents_demo", verbosity=0)
        # Tips, rewards, petitions, query codes and published rulings (issue 17 items 4-6; portal's own).
        call_command("portal_demo_public", verbosity=0)
        call_command("portal_demo_party", verbosity=0)  # issue 17: e-service proof states, party portal
        call_command("funds_demo_withholding", verbosity=0)  # issue 15: income withholding orders
        call_command("objections_demo", verbosity=0)  # issue 19: third-party objections in every state
        call_command("auctions_demo", verbosity=0)  # issue 18: lots in every state, bids, deposits, rulings
        call_command("funds_demo_deposit_refunds", verbosity=0)  # the lots' deposit refunds, every state
        call_command("inquiry_demo_dormant", verbosity=0)  # issue 20: 终本 checks, registry, resume requests
        seed_coercion_demo()  # issue 20: coercive measures in every state, a refusal-crime referral
        seed_bankruptcy_demo()  # issue 20: 执转破 candidates and one transfer (cases suspended)
        seed_settlement_demo()  # issue 19.4: settlements on track, missed (alert), performed
        call_command("entrust_demo", verbosity=0)  # issue 20: entrustments in every state (two provinces)
        call_command("funds_demo_custody", verbosity=0)  # custody accounts for the courts entrust_demo adds
        call_command("inquiry_demo_preservation", verbosity=0)  # issue 19 item 3: 执保 cases, one carried
        call_command("command_demo_field", verbosity=0)  # issue 21 items 3-6: alerts, watch, dispatch, field
        call_command("command_demo", verbosity=0)  # issue 21: situation figures of every court, cached
