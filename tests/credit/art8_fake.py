"""An in-process stand-in for the sandbox's Art 8 recipients: the sandbox's own `art8.Registry` behind a
client that can fail, so delivery is tested without a process (frozen time holds)."""

from __future__ import annotations

from typing import Any

from zhixing.core.partner_client import TransportError
from zhixing.credit.models import NoticeRecipient
from zhixing.partners.sandbox import art8
from zhixing.partners.sandbox.holdings import partner_secret


class FakeRecipients:
    def __init__(self) -> None:
        self.registry = art8.Registry()
        self.fail: dict[str, int] = {}  # code → how many messages to refuse with a 503
        self.messages = 0

    def client_for(self, r: NoticeRecipient) -> Any:
        fake = self

        class Client:
            def post(self, endpoint: str, payload: dict[str, Any], key: str) -> dict[str, Any]:
                fake.messages += 1
                if fake.fail.get(r.code, 0) > 0:
                    fake.fail[r.code] -= 1
                    raise TransportError("对方返回 HTTP 503")
                cb = str(payload.get("callback_url", ""))
                return {"results": [fake.registry.act(r.code, i, cb) for i in payload["items"]]}

        return Client()


def recipient(code: str) -> NoticeRecipient:
    name, kind = art8.RECIPIENTS[code]
    return NoticeRecipient.objects.create(name=name, kind=kind, code=code, shared_secret=partner_secret(code))
