"""Chinese words for the audit records the courts app writes (see `zhixing.core.audit_catalogue`)."""

from __future__ import annotations

from zhixing.core.audit_catalogue import register_actions, register_keys, register_namespace, register_values

from .models import CourtLevel, Staff, Team
from .roles import Role

NS = ("court", "team", "staff", "token")

register_actions(
    {
        "court.create": "新建法院",
        "team.create": "新建执行团队",
        "staff.create": "新建工作人员账号",
        "token.issue": "签发接口令牌",
        "token.revoke": "吊销接口令牌",
    }
)
for ns, noun in (("court", "法院"), ("team", "团队"), ("staff", "人员"), ("token", "接口令牌")):
    register_namespace(ns, noun)
register_keys(
    {
        "code": "法院代字",
        "name": "名称",
        "level": "审级",
        "court": "法院",
        "staff": "人员",
        "username": "用户名",
        "role": "角色",
    },
    namespace=NS,
)
register_values("level", dict(CourtLevel.choices), namespace=NS)
register_values("role", dict(Role.choices), namespace=NS)
register_values("kind", dict(Team.Kind.choices), namespace=NS)


def staff_names(values: set[object]) -> dict[object, str]:
    """Staff pks (a handler, a supervision order's addressee) → the person's name."""
    pks = [v for v in values if isinstance(v, int)]
    return dict(Staff.objects.filter(pk__in=pks).values_list("pk", "full_name")) if pks else {}


def team_names(values: set[object]) -> dict[object, str]:
    pks = [v for v in values if isinstance(v, int)]
    return dict(Team.objects.filter(pk__in=pks).values_list("pk", "name")) if pks else {}
