"""Re-send payment orders left `sending`/`returning` (after a crash); the bank pays each key once."""

from typing import Any

from django.core.management.base import BaseCommand

from zhixing.funds.services import resume_returns, resume_sending, send


class Command(BaseCommand):
    help = "重发处于“已发送银行”的发款指令和“退回中”的不明款退回指令（幂等，不会重复支付）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--payout", type=int, default=0, help="只发送这一笔（已审批的发款）")

    def handle(self, *args: Any, payout: int = 0, **opts: Any) -> None:
        if payout:
            p = send(None, payout)
            self.stdout.write(f"发款#{p.pk}：{p.status}")
            return
        self.stdout.write(f"已完成 {resume_sending()} 笔发款，{resume_returns()} 笔不明款退回")
