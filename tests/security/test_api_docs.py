"""/api/docs: Swagger UI served by the platform itself (court intranets have no internet; our CSP allows
only 'self'), and it actually renders in a browser under that CSP."""

from __future__ import annotations

import os
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tests.live_asgi import LiveASGI, migrated_data_dir

ASSET = re.compile(r'<(?:script|link)\b[^>]*?\b(?:src|href)="([^"]+)"', re.IGNORECASE)
CHROMIUM = os.environ.get("ZHIXING_CHROMIUM", "/usr/bin/chromium")


@pytest.mark.django_db
def test_docs_reference_only_same_origin_assets_and_they_are_served() -> None:
    client = Client()
    resp = client.get("/api/docs")
    assert resp.status_code == 200
    page = resp.content.decode()
    assets = ASSET.findall(page)
    assert sorted(assets) == [
        "/static/ninja/favicon.png",
        "/static/ninja/favicon.svg",
        "/static/ninja/swagger-ui-bundle.js",
        "/static/ninja/swagger-ui-init.js",
        "/static/ninja/swagger-ui.css",
    ]
    assert "//" not in "".join(assets)  # no CDN, no protocol-relative URL
    assert '"validatorUrl": null' in page  # no badge image fetched from swagger.io
    kinds = {}
    for url in assets:
        asset = client.get(url)
        assert asset.status_code == 200, url
        kinds[url.rsplit(".", 1)[1]] = asset["Content-Type"].split(";")[0]
        body = b"".join(asset.streaming_content) if asset.streaming else asset.content
        assert len(body) > 300, url  # the file itself, not an error stub
    assert kinds == {"js": "text/javascript", "css": "text/css", "png": "image/png", "svg": "image/svg+xml"}
    # Swagger UI's licence travels with it (the bundle's header names the third-party licence file).
    for name, start in [
        ("swagger-ui-LICENSE.txt", b"\n                                 Apache License"),
        ("swagger-ui-NOTICE.txt", b"swagger-ui\nCopyright"),
        ("swagger-ui-bundle.js.LICENSE.txt", b"/*"),
    ]:
        lic = client.get(f"/static/ninja/{name}")
        assert lic.status_code == 200
        assert b"".join(lic.streaming_content).startswith(start), name
    csp = resp["Content-Security-Policy"]
    assert "script-src 'self' 'unsafe-inline'" in csp and "http" not in csp


@pytest.mark.e2e
@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="runs in the SQLite pass")
@pytest.mark.usefixtures("django_db_setup")  # the server's template: the session's migrated test database
def test_swagger_ui_renders_under_the_csp_in_a_browser(tmp_path: Path) -> None:
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.skip(f"Debian chromium not installed at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    problems: list[str] = []
    outside: list[str] = []

    def drive() -> None:
        with LiveASGI(migrated_data_dir(tmp_path / "docs")) as srv, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
            try:
                page: Any = browser.new_page()
                page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
                page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
                page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(srv.url) else None)
                page.goto(srv.url + "/api/docs")
                page.wait_for_selector(".swagger-ui .info .title", timeout=30000)
                assert "智执 Zhixing API" in page.inner_text(".swagger-ui .info .title")
                page.wait_for_selector(".opblock-tag", timeout=30000)
                assert page.locator(".opblock").count() > 20  # the operations are listed
            finally:
                browser.close()

    # In a fresh thread: another test's Playwright may still run an event loop in this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(drive).result()
    assert problems == []
    assert [u for u in outside if not u.startswith("data:")] == []
