"""Service of court documents (送达): the methods and the day service takes effect. Pure, no Django.

Shared by every domain that serves a document on a party — the enforcement notice (cases) and the credit
decisions (credit) — so neither imports the other (.importlinter: cases never imports credit).
Sources: CPL-2021 Arts 87–95 (the methods); CPL-2021/2023 Art 95 (publication deemed served 30 days
after it was published; docs/rules-additions.md "Service of credit decisions").
"""

from __future__ import annotations

from datetime import date, timedelta

SERVICE_METHODS: dict[str, str] = {
    "personal": "直接送达",
    "residence": "留置送达",
    "electronic": "电子送达",
    "post": "邮寄送达",
    "entrusted": "委托送达",
    "publication": "公告送达",
}
# CPL-2021 Art 95 (CPL-2023 Art 95): service by publication is deemed made 30 days after the notice is
# published (the 2021 revision shortened it from 60 days).
PUBLICATION_SERVICE_DAYS = 30


def deemed_served_on(method: str, on: date) -> date:
    """The day service takes effect: the day of the act (signed receipt, left at the residence, reaching the
    recipient's system, the postal receipt), or for publication the 30th day after it was published.

    # rule: R-2.2.24
    """
    if method not in SERVICE_METHODS:
        raise ValueError("送达方式无效")
    if method == "publication":
        return on + timedelta(days=PUBLICATION_SERVICE_DAYS)
    return on
