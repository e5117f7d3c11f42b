"""Menu entries of the situation screens, quality metrics and supervision."""

from zhixing.core.navigation import Entry, caps, register
from zhixing.courts.roles import Cap


def register_entries() -> None:
    register(
        Entry(
            "command", "situation", "态势大屏", "command_situation", 10, caps(Cap.COMMAND_SCREEN, court=True)
        ),
        Entry("command", "metrics", "执行质效", "command_metrics", 20, caps(Cap.COMMAND_METRICS, court=True)),
        Entry("command", "entrust", "事项委托", "command_entrust", 25, caps(Cap.COMMAND_SCREEN, court=True)),
        Entry("command", "supervision", "执行监督", "command_supervision", 30, caps(Cap.COMMAND_SUPERVISE)),
    )
