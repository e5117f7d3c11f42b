"""The cases domain's main-menu entries: 工作台, 案件 (list, filing, node supervision)."""

from zhixing.core.navigation import Entry, Section, always, caps, register, register_section
from zhixing.courts.roles import Cap


def install() -> None:
    register_section(Section("home", "工作台", 0))
    register_section(Section("cases", "案件", 10, paths=("/cases/",)))
    register(
        Entry("home", "home", "工作台", "home", 0, always),
        Entry("cases", "cases", "案件查询", "case_list", 10, always),
        Entry("cases", "file", "立案", "case_file", 20, caps(Cap.CASE_FILE, court=True)),
        Entry("cases", "supervision", "节点监管", "supervision", 30, caps(Cap.SUPERVISE)),
    )
