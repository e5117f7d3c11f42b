"""Vehicle watch to field evidence in the browser (issue 21): an operator sees the alert for a watched plate
arrive on the live alert list, dispatches the nearest team with one click, the team's bailiff sees the task
on a phone-sized page and uploads a photo (hashed on the phone, resumable upload), and the operator sees the
photo, its hash and its check on the case's field page."""

from __future__ import annotations

import struct
import zlib
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import login
from tests import factories
from tests.command.field.conftest import field  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\x00\x80\xff" * 4 for _ in range(4))
    ihdr = struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    )


def test_plate_hit_to_dispatch_to_phone_upload(
    page: Any,
    browser: Any,
    live_server: Any,
    people: dict[str, Any],
    field: dict[str, Any],  # noqa: F811  (the imported fixture)
    settings: Any,
    tmp_path: Any,
) -> None:
    settings.MEDIA_ROOT = tmp_path
    login(page, "th_operator", factories.PASSWORD)
    page.goto("/command/alerts/")
    expect(page.locator("#alerts-empty")).to_be_visible()

    # The parking operator's camera reads the watched 粤AB5218 as 粤A85Z18 (B→8, 2→Z).
    read = {"read_id": "e2e-1", "plate": "粤A85Z18", "seen_at": timezone.now().isoformat(), "car_park": "P01"}
    resp = Client().post(
        "/api/v1/command/plate-reads",
        {"reads": [read]},
        content_type="application/json",
        HTTP_X_PARTNER_KEY=field["key"],
    )
    assert resp.json()["hits"][0]["plate"] == "粤AB5218"

    row = page.locator("[data-testid=alert-row]", has_text="粤AB5218")
    expect(row).to_be_visible(timeout=15_000)  # arrives through the since-id feed, no reload
    row.locator("a").click()
    expect(page.locator("#alert-place")).to_contain_text("天河城停车场")
    page.click("[data-testid=dispatch-nearest]")
    expect(page.locator("#task-team")).to_have_text("执行一团队")
    task_url = page.url

    phone = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 390, "height": 844}
    )
    ph = phone.new_page()
    login(ph, "th_bailiff", factories.PASSWORD)
    ph.goto("/command/field/")
    ph.locator("[data-testid=field-task]", has_text="粤AB5218").click()
    expect(ph.locator("#field-target")).to_contain_text("粤AB5218")
    ph.set_input_files(
        "[data-testid=evidence-file]", files=[{"name": "car.png", "mimeType": "image/png", "buffer": png()}]
    )
    ph.click("[data-testid=evidence-upload]")
    expect(ph.locator("[data-testid=upload-state]")).to_contain_text("上传完成", timeout=15_000)
    box = ph.locator("[data-testid=evidence-upload]").bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390, box  # fits the phone
    phone.close()

    page.goto(task_url)
    page.click("text=" + field["case"].number)
    ev = page.locator("[data-testid=evidence-row]")
    expect(ev).to_have_count(1)
    expect(ev.locator("[data-testid=evidence-check]")).to_have_text("与上传时的哈希及审计链一致")
    import hashlib

    expect(ev).to_contain_text(hashlib.sha256(png()).hexdigest())
