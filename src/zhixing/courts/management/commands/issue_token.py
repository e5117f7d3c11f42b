"""`manage.py issue_token USERNAME NAME`: issue an API bearer token for a staff member and print it once."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhixing.courts.models import Staff
from zhixing.courts.services import issue_token


class Command(BaseCommand):
    help = "为工作人员签发接口令牌（Bearer），令牌只显示这一次"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="工作人员用户名")
        parser.add_argument("name", help="令牌用途，如 案件管理系统对接")

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["name"].strip()
        if not name or len(name) > 64:
            raise CommandError("令牌用途不能为空且不超过64字")
        staff = Staff.objects.filter(username=options["username"]).first()
        if staff is None:
            raise CommandError(f"工作人员“{options['username']}”不存在")
        if not staff.is_active:
            raise CommandError(f"工作人员“{options['username']}”已停用，不能签发令牌")
        self.stdout.write(issue_token(None, staff, name))
