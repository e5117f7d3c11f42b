"""`manage.py verify_audit`: check every audit hash chain (one per court) and the signed checkpoints.

Without options the stored checkpoints are checked too when the checkpoint key is configured. With
`--checkpoints FILE` the exported JSONL file (the copy kept outside the database) is checked instead:
that is what an outside auditor runs (docs/audit.md). `--key-file` adds keys (one per file), e.g.
the keys of earlier years after a rotation.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhixing.core.audit import verify_chain
from zhixing.core.checkpoint_key import CheckpointKeyError
from zhixing.core.checkpoint_verify import stored_lines, verify_checkpoints
from zhixing.core.checkpoints import signing_key


class Command(BaseCommand):
    help = "校验各法院的操作留痕哈希链与签名检查点，指出第一处断裂"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--checkpoints", metavar="FILE", help="导出的检查点文件（JSONL），逐条核对签名、衔接与数据库"
        )
        parser.add_argument(
            "--key-file", metavar="FILE", action="append", default=[], help="检查点密钥文件（可多次指定）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if not report.ok:
            raise CommandError(f"留痕链断裂：{report.reason}（已校验{report.checked}条）")
        self.stdout.write(
            self.style.SUCCESS(f"留痕链完整，共{report.checked}条记录，{len(report.chains)}条留痕链")
        )
        for chain, count in sorted(report.chains.items()):
            self.stdout.write(f"  {chain or '平台'}：{count}条")
        keys = self._keys(options["key_file"])
        if options["checkpoints"]:
            lines = self._read(options["checkpoints"])
        else:
            lines = stored_lines()
            if not lines:
                self.stdout.write("数据库中尚无检查点")
                return
            if not keys:
                self.stdout.write(
                    self.style.WARNING("未配置检查点密钥（ZHIXING_AUDIT_CHECKPOINT_KEY），未核对检查点")
                )
                return
        result = verify_checkpoints(lines, keys)
        if not result.ok:
            raise CommandError(f"检查点核对不通过：{result.reason}")
        self.stdout.write(self.style.SUCCESS(result.reason))

    def _keys(self, files: list[str]) -> list[str]:
        keys = []
        for name in files:
            try:
                keys.append(Path(name).read_text(encoding="utf-8").strip())
            except OSError as exc:
                raise CommandError(f"无法读取密钥文件{name}：{exc.strerror}") from exc
        try:
            configured = signing_key()
        except CheckpointKeyError as exc:
            raise CommandError(str(exc)) from exc
        return [*keys, configured] if configured else keys

    def _read(self, name: str) -> list[str]:
        try:
            return Path(name).read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise CommandError(f"无法读取检查点文件{name}：{exc.strerror}") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"检查点文件{name}不是UTF-8编码的文本") from exc
