"""The analytics domain's main-menu entries (分析): ability-to-pay analysis and statement layouts."""

from zhixing.core.navigation import Entry, Section, caps, register, register_section
from zhixing.courts.roles import Cap


def install() -> None:
    register_section(Section("analytics", "分析", 60, paths=("/analytics/",)))
    who = caps(Cap.ANALYTICS_IMPORT, Cap.ANALYTICS_PROFILE, Cap.ANALYTICS_BATCH)
    register(
        Entry("analytics", "analytics", "履行能力分析", "analytics:index", 10, who),
        Entry(
            "analytics", "analytics-presets", "流水版式", "analytics:presets", 20, caps(Cap.ANALYTICS_PRESET)
        ),
        Entry(
            "analytics",
            "analytics-rates",
            "折算汇率",
            "analytics:rates",
            30,
            caps(Cap.ANALYTICS_RATE, Cap.ANALYTICS_IMPORT, Cap.ANALYTICS_PRESET),
        ),
    )
