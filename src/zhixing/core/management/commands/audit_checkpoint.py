"""`manage.py audit_checkpoint`: sign a checkpoint of every audit chain now, or export the stored ones.

The periodic task does the same on a schedule; run this before handing the file to an auditor, or
with `--export FILE` (`-` for stdout) to write every stored checkpoint as JSONL.
"""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhixing.core.checkpoint_key import CheckpointKeyError
from zhixing.core.checkpoints import CheckpointError, export_checkpoints, export_path, make_checkpoint


class Command(BaseCommand):
    help = "生成留痕检查点（各留痕链的记录数与链尾哈希，经密钥签名），或导出已有检查点"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--export", metavar="FILE", help="把数据库中的检查点导出为JSONL（- 表示标准输出）"
        )
        parser.add_argument("--since", type=int, default=0, help="只导出序号大于此值的检查点")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["export"]:
            self._export(options["export"], options["since"])
            return
        try:
            cp = make_checkpoint()
        except (CheckpointError, CheckpointKeyError) as exc:
            raise CommandError(str(exc)) from exc
        if cp is None:
            self.stdout.write("自上一检查点以来留痕链没有变化，未生成新检查点")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"已生成检查点#{cp.seq}：{len(cp.chains)}条留痕链，共{cp.total}条记录；已追加到{export_path()}"
            )
        )

    def _export(self, target: str, since: int) -> None:
        if target == "-":
            count = export_checkpoints(sys.stdout, since)
        else:
            try:
                with Path(target).open("w", encoding="utf-8") as out:
                    count = export_checkpoints(out, since)
            except OSError as exc:
                raise CommandError(f"无法写入{target}：{exc.strerror}") from exc
        self.stderr.write(f"已导出{count}个检查点")
