"""Every demo login, in one place: who it is, which role and court, and what to try with it.

Used by ``seed_demo`` (zhixing.cases.demo.province creates exactly these staff), by the login page (which
lists every account in demo mode) and by ``make run``'s printout, so the three never disagree. Passwords
are all ``DEMO_PASSWORD``; ``seed_demo`` refuses to run in production.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from .demo_names import staff_name
from .models import CourtLevel, Team
from .roles import Role

DEMO_PASSWORD = "zhixing2026"
DEFAULT_JUDGES = 6  # judges per basic court at the default 400 cases (seed_demo adds more for big runs)

# code, name, level, parent code, login prefix
COURTS: tuple[tuple[str, str, str, str | None, str], ...] = (
    ("粤", "广东省高级人民法院", CourtLevel.HIGH, None, "gd"),
    ("粤01", "广州市中级人民法院", CourtLevel.INTERMEDIATE, "粤", "gz"),
    ("粤03", "深圳市中级人民法院", CourtLevel.INTERMEDIATE, "粤", "sz"),
    ("粤0106", "广州市天河区人民法院", CourtLevel.BASIC, "粤01", "th"),
    ("粤0104", "广州市越秀区人民法院", CourtLevel.BASIC, "粤01", "yx"),
    ("粤0304", "深圳市福田区人民法院", CourtLevel.BASIC, "粤03", "ft"),
    ("粤0305", "深圳市南山区人民法院", CourtLevel.BASIC, "粤03", "ns"),
)
TEAMS = (
    ("简案快执团队", Team.Kind.FAST),
    ("繁案精办团队", Team.Kind.COMPLEX),
    ("终本案件管理团队", Team.Kind.DORMANT),
)
TEAM_OF_JUDGE = (Team.Kind.FAST, Team.Kind.COMPLEX, Team.Kind.FAST, Team.Kind.DORMANT, Team.Kind.COMPLEX)
_FILER_TEAMS = (Team.Kind.FAST, Team.Kind.COMPLEX, Team.Kind.DORMANT)

DUTIES_BASIC = {
    Role.PRESIDENT: "审批延长执行期限、查看全院态势",
    Role.DIRECTOR: "分案、审批控制措施、节点监管",
    Role.JUDGE: "办案、网络查控、控制措施、失信、结案",
    Role.ASSISTANT: "发起查控、登记财产、送达",
    Role.CLERK: "立案、办理流程节点",
    Role.BAILIFF: "外勤执行任务（手机页面）",
    Role.OPERATOR: "态势大屏、集中查控、告警",
    Role.FINANCE: "到账认领、发放案款、银行对账",
}
DUTIES_HIGHER = {
    Role.DIRECTOR: "监管辖区各法院",
    Role.PRESIDENT: "查看辖区态势与统计",
    Role.OPERATOR: "辖区态势大屏与告警",
}


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str  # a Role value
    court_code: str  # "" for the platform administrator
    court_name: str
    team_kind: str = ""
    duty: str = ""
    superuser: bool = False

    @property
    def role_label(self) -> str:
        return "系统管理员（超级用户）" if self.superuser else str(Role(self.role).label)


def accounts(judges_per_court: int = DEFAULT_JUDGES) -> list[DemoAccount]:
    """Every demo login: the administrator, then each court's staff in the order they are created."""
    taken: set[str] = set()  # staff names are unique (a judge drop-down never shows two 张伟)

    def _account(
        code: str, court: str, username: str, role: Role, team: str = "", duty: str = ""
    ) -> DemoAccount:
        name = staff_name(username, taken)
        taken.add(name)
        return DemoAccount(username, name, role.value, code, court, team, duty)

    out = [
        DemoAccount(
            "admin",
            "系统管理员",
            Role.OPERATOR.value,
            "",
            "—",
            duty="后台管理：节假日安排、用户、法院",
            superuser=True,
        )
    ]
    for code, name, level, _parent, prefix in COURTS:
        if level != CourtLevel.BASIC:
            for role in (Role.DIRECTOR, Role.PRESIDENT, Role.OPERATOR):
                out.append(_account(code, name, f"{prefix}_{role.value}", role, duty=DUTIES_HIGHER[role]))
            continue
        duty = DUTIES_BASIC
        out.append(_account(code, name, f"{prefix}_president", Role.PRESIDENT, duty=duty[Role.PRESIDENT]))
        out.append(_account(code, name, f"{prefix}_director", Role.DIRECTOR, duty=duty[Role.DIRECTOR]))
        for i in range(1, judges_per_court + 1):
            team = TEAM_OF_JUDGE[(i - 1) % len(TEAM_OF_JUDGE)]
            out.append(_account(code, name, f"{prefix}_judge{i}", Role.JUDGE, team, duty[Role.JUDGE]))
        for i in range(1, 4):
            out.append(
                _account(
                    code,
                    name,
                    f"{prefix}_assistant{i}",
                    Role.ASSISTANT,
                    _FILER_TEAMS[i - 1],
                    duty[Role.ASSISTANT],
                )
            )
        for i in range(1, 3):
            username = f"{prefix}_clerk" if i == 1 else f"{prefix}_clerk{i}"
            out.append(_account(code, name, username, Role.CLERK, _FILER_TEAMS[i - 1], duty[Role.CLERK]))
        for i in range(1, 3):
            out.append(
                _account(
                    code, name, f"{prefix}_bailiff{i}", Role.BAILIFF, _FILER_TEAMS[i - 1], duty[Role.BAILIFF]
                )
            )
        out.append(_account(code, name, f"{prefix}_operator", Role.OPERATOR, duty=duty[Role.OPERATOR]))
        out.append(_account(code, name, f"{prefix}_finance", Role.FINANCE, duty=duty[Role.FINANCE]))
    return out


def by_court(judges_per_court: int = DEFAULT_JUDGES) -> list[tuple[str, list[DemoAccount]]]:
    """The accounts grouped by court name, in roster order (the login page's list)."""
    return [
        (court, list(group))
        for court, group in groupby(accounts(judges_per_court), key=lambda a: a.court_name)
    ]


FEATURED = (
    "admin",
    "th_clerk",
    "th_judge1",
    "th_assistant1",
    "th_bailiff1",
    "th_director",
    "th_president",
    "th_finance",
    "th_operator",
    "gz_director",
    "gd_president",
)


def featured() -> list[DemoAccount]:
    """One account per role at 天河 plus the higher courts' leaders: the launcher's short list."""
    index = {a.username: a for a in accounts()}
    return [index[u] for u in FEATURED]
