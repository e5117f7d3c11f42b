"""Production settings: refused starts (default, weak or shared secrets; development addresses), the demo
partners' published secrets refused, and `check --deploy` clean.

The refusals are tested on `check_production` (the function the settings run at import time) and, for
the real thing, by starting `manage.py` and the web server with ZHIXING_PRODUCTION=1 in a subprocess.
"""

from __future__ import annotations

import secrets
import subprocess
import sys
from typing import Any

import pytest
from django.test import Client

from tests.live_asgi import ROOT, base_env
from zhixing.config.settings.env import SettingsError
from zhixing.config.settings.production import check_production, refused_secret_digests
from zhixing.core import partner_protocol as pp
from zhixing.partners.sandbox.holdings import DEFAULT_MASTER_SECRET, PARTNERS, partner_secret

KEY = secrets.token_urlsafe(48)  # 64 characters
BANK = secrets.token_hex(24)  # 48 characters
SANDBOX = secrets.token_hex(20)
GOOD = {
    "SECRET_KEY": KEY,
    "FUNDS_BANK_SECRET": BANK,
    "FUNDS_BANK_URL": "https://custody.bank.example/api",
    "ZHIXING_PLATFORM_URL": "https://zhixing.court.example",
    "ZHIXING_AUDIT_CHECKPOINT_KEY": secrets.token_hex(24),
}
DEMO_KEY = "zhixing-embedded-demo-key-change-me-in-production-0123456789"


def test_a_complete_production_environment_passes() -> None:
    check_production(GOOD)
    check_production({**GOOD, "ZHIXING_SANDBOX_SECRET": SANDBOX})


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY must be set when ZHIXING_PRODUCTION=1"),
        ({"SECRET_KEY": "x"}, "SECRET_KEY is too short (1 characters); use at least 50"),
        ({"SECRET_KEY": DEMO_KEY}, "SECRET_KEY is a published development default"),
        ({"SECRET_KEY": "django-insecure-" + KEY}, "SECRET_KEY is a published development default"),
        ({"SECRET_KEY": "ab" * 40}, "SECRET_KEY is too uniform"),
        ({"FUNDS_BANK_SECRET": ""}, "FUNDS_BANK_SECRET must be set when ZHIXING_PRODUCTION=1"),
        ({"FUNDS_BANK_SECRET": "dev-custody-secret"}, "FUNDS_BANK_SECRET is a published development default"),
        ({"FUNDS_BANK_SECRET": BANK[:31]}, "FUNDS_BANK_SECRET is too short (31 characters); use at least 32"),
        ({"FUNDS_BANK_SECRET": KEY}, "FUNDS_BANK_SECRET must differ from SECRET_KEY"),
        (
            {"ZHIXING_SANDBOX_SECRET": DEFAULT_MASTER_SECRET},
            "ZHIXING_SANDBOX_SECRET is a published development",
        ),
        ({"ZHIXING_SANDBOX_SECRET": BANK}, "ZHIXING_SANDBOX_SECRET must differ from FUNDS_BANK_SECRET"),
        ({"FUNDS_BANK_URL": ""}, "FUNDS_BANK_URL must be set when ZHIXING_PRODUCTION=1"),
        ({"FUNDS_BANK_URL": "http://127.0.0.1:8001/custody/"}, "FUNDS_BANK_URL is the development sandbox"),
        ({"ZHIXING_PLATFORM_URL": ""}, "ZHIXING_PLATFORM_URL must be set when ZHIXING_PRODUCTION=1"),
        ({"ZHIXING_DEBUG": "1"}, "ZHIXING_DEBUG must be off when ZHIXING_PRODUCTION=1"),
        (
            {"ZHIXING_AUDIT_CHECKPOINT_KEY": ""},
            "ZHIXING_AUDIT_CHECKPOINT_KEY (or ZHIXING_AUDIT_CHECKPOINT_KEY_FILE) must be set",
        ),
        ({"ZHIXING_AUDIT_CHECKPOINT_KEY": "k" * 40}, "ZHIXING_AUDIT_CHECKPOINT_KEY is not random enough"),
        ({"ZHIXING_AUDIT_CHECKPOINT_KEY": KEY}, "ZHIXING_AUDIT_CHECKPOINT_KEY must differ from every other"),
    ],
)
def test_each_refusal_names_the_variable(change: dict[str, str], message: str) -> None:
    env = {**GOOD, **change}
    with pytest.raises(SettingsError) as err:
        check_production({k: v for k, v in env.items() if v})
    assert str(err.value).startswith(message)


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )


def production_env(tmp_path: Any, **change: str) -> dict[str, str]:
    env = base_env(tmp_path, {**GOOD, "ZHIXING_PRODUCTION": "1", "ALLOWED_HOSTS": "zhixing.court.example"})
    for name, value in change.items():
        if value:
            env[name] = value
        else:
            env.pop(name, None)
    return env


def test_manage_py_and_the_web_server_refuse_to_start_on_defaults(tmp_path: Any) -> None:
    """The probe's start: production with nothing but the defaults. Both entry points stop, naming it."""
    env = production_env(tmp_path, SECRET_KEY="", FUNDS_BANK_SECRET="", FUNDS_BANK_URL="")
    done = _run([str(ROOT / "manage.py"), "check"], env)
    assert done.returncode != 0
    assert "SettingsError: SECRET_KEY must be set when ZHIXING_PRODUCTION=1" in done.stderr
    one_char = production_env(tmp_path, SECRET_KEY="k")
    server = _run(["-m", "zhixing.config.server", "--port", "9"], one_char)
    assert server.returncode != 0
    assert "SettingsError: SECRET_KEY is too short (1 characters)" in server.stderr
    launcher = _run(["-m", "zhixing.config.launcher"], env)  # `make run` with ZHIXING_PRODUCTION=1
    assert launcher.returncode != 0
    assert "SettingsError: SECRET_KEY must be set when ZHIXING_PRODUCTION=1" in launcher.stderr
    assert "已启动" not in launcher.stdout  # it stopped before starting its worker or server


def test_production_settings_pass_check_deploy_without_warnings(tmp_path: Any) -> None:
    done = _run(
        [str(ROOT / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path)
    )
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout


def test_refused_digests_cover_every_demo_partner_and_the_sandbox_bank() -> None:
    digests = refused_secret_digests()
    for code in PARTNERS:
        assert pp.hashlib.sha256(partner_secret(code, DEFAULT_MASTER_SECRET).encode()).hexdigest() in digests
    assert pp.hashlib.sha256(b"dev-custody-secret").hexdigest() in digests
    assert pp.hashlib.sha256(BANK.encode()).hexdigest() not in digests


@pytest.mark.parametrize("code", sorted(PARTNERS))
def test_protocol_refuses_demo_partner_secrets_in_production(code: str, settings: Any) -> None:
    secret = partner_secret(code, DEFAULT_MASTER_SECRET)
    body = b'{"results":[]}'
    headers = pp.sign_headers(
        code, secret, "POST", "/api/v1/inquiry/callback", body, "k1", timestamp=1_800_000_000
    )
    assert pp.verify(secret, "POST", "/api/v1/inquiry/callback", body, headers, now=1_800_000_000) == "k1"
    settings.ZHIXING_REFUSED_SECRET_DIGESTS = refused_secret_digests()
    with pytest.raises(pp.ProtocolError, match="公开的演示密钥"):
        pp.verify(secret, "POST", "/api/v1/inquiry/callback", body, headers, now=1_800_000_000)


@pytest.mark.django_db
def test_inquiry_callback_signed_with_a_demo_secret_is_refused_in_production(settings: Any) -> None:
    from zhixing.inquiry.models import CallbackLog

    path = "/api/v1/inquiry/callback"
    body = pp.encode_body({"partner": "BANK-ICBC", "results": [{"key": "never-sent", "status": "done"}]})
    headers = pp.sign_headers("BANK-ICBC", partner_secret("BANK-ICBC"), "POST", path, body, "cb-demo")
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items() if k != "Content-Type"}
    # Development: the signature is good (the request is unknown, so 404).
    assert Client().post(path, data=body, content_type="application/json", **extra).status_code == 404
    settings.ZHIXING_REFUSED_SECRET_DIGESTS = refused_secret_digests()
    resp = Client().post(path, data=body, content_type="application/json", **extra)
    assert resp.status_code == 401
    log = CallbackLog.objects.filter(accepted=False, status=401).get()
    assert "公开的演示密钥" in log.reason


@pytest.mark.django_db
def test_bank_notice_signed_with_the_public_default_books_nothing_in_production(settings: Any) -> None:
    from zhixing.funds.models import Receipt

    path = "/api/v1/funds/bank/notices"
    payload = {
        "txn_id": "DEMO-1",
        "amount": "100000.00",
        "value_date": "2026-03-10",
        "to_account": "8801060000001",
    }
    body = pp.encode_body(payload)
    headers = pp.sign_headers("custody-bank", "dev-custody-secret", "POST", path, body, "demo-notice")
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items() if k != "Content-Type"}
    settings.FUNDS_BANK_SECRET = "dev-custody-secret"  # a deployment that left the default in place
    settings.ZHIXING_REFUSED_SECRET_DIGESTS = refused_secret_digests()
    resp = Client().post(path, data=body, content_type="application/json", **extra)
    assert resp.status_code == 401
    assert "公开的演示密钥" in resp.json()["detail"]
    assert Receipt.objects.count() == 0


def test_deploy_md_lists_every_secret_production_requires() -> None:
    """Finding 3: docs/deploy.md lists every secret; probe: the audit checkpoint key was missing."""
    from zhixing.config.settings.production import SECRETS
    from zhixing.core.checkpoint_key import ENV_KEY, ENV_KEY_FILE

    doc = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    table = doc.split("### Secrets", 1)[1].split("###", 1)[0]
    for name in [s.name for s in SECRETS] + [ENV_KEY, ENV_KEY_FILE]:
        assert f"`{name}`" in table, name
