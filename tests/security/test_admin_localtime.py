"""Names the admin shows for time-stamped rows (page titles, breadcrumbs, delete confirmations) carry
Beijing time, as every date and time a user sees (issue 10, finding 12)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from zhixing.core.models import AuditCheckpoint, AuditRecord
from zhixing.credit.models import Interception

# As the database hands it back: in UTC (2026-01-05 00:30 in Beijing).
JUST_AFTER_MIDNIGHT = datetime(2026, 1, 5, 0, 30, tzinfo=ZoneInfo("Asia/Shanghai")).astimezone(UTC)


def test_audit_record_name_is_beijing_time() -> None:
    rec = AuditRecord(at=JUST_AFTER_MIDNIGHT, actor_name="张法官", action="case.file", object_type="cases.X")
    rec.object_id = "7"
    assert str(rec) == "2026-01-05 00:30 张法官 case.file cases.X#7"


def test_checkpoint_name_is_beijing_time() -> None:
    assert str(AuditCheckpoint(seq=3, at=JUST_AFTER_MIDNIGHT, total=12)) == "检查点#3 2026-01-05 00:30 12条"


def test_interception_name_is_beijing_time() -> None:
    assert str(Interception(code="flight", at=JUST_AFTER_MIDNIGHT)) == "拦截 flight 2026-01-05 00:30"
