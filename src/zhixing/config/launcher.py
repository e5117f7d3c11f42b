"""`make run`: start the web server and the background worker together on the embedded default.

Honours PORT (default 8000) and DATA_DIR (database, queue and uploads), so two instances can run side
by side. The worker is a child process (Huey consumer); stopping the launcher stops both. The web
server is started by `zhixing.config.server.serve`, exactly as in the documented deployment. With
ZHIXING_PRODUCTION=1 it starts no sandbox and sets no development addresses: the settings then refuse
to start until the deployment's own secrets and addresses are set (docs/deploy.md).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from zhixing.config.server import serve

ROOT = Path(__file__).resolve().parents[3]


LOOPBACK = {"127.0.0.1", "localhost"}


def _start_mailbox(eservice: dict[str, object]) -> str | None:
    """The sandbox's mail server where the platform sends e-mail (ZHIXING_SMTP_HOST:PORT), when that is
    this machine: "host:port", or None (a real server configured, or the port taken)."""
    host, port = str(eservice["smtp_host"]), int(str(eservice["smtp_port"]))
    if host not in LOOPBACK:
        return None
    from zhixing.partners.sandbox.server import start_mailbox

    return f"{host}:{port}" if start_mailbox(host, port) is not None else None


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhixing.config.settings")
    production = os.environ.get("ZHIXING_PRODUCTION", "").lower() in {"1", "true", "yes", "on"}
    port = int(os.environ.get("PORT", "8000"))
    host = os.environ.get("HOST", "127.0.0.1")
    sandbox_port = int(os.environ.get("ZHIXING_SANDBOX_PORT", port + 1))
    sandbox = not production and os.environ.get("ZHIXING_SANDBOX", "1") != "0"
    if not production:
        # The embedded demo: partners are the simulated ones next door. Production configures its own.
        os.environ.setdefault("ZHIXING_DEMO", "1")
        os.environ.setdefault("ZHIXING_SANDBOX_URL", f"http://{host}:{sandbox_port}")
        os.environ.setdefault("ZHIXING_PLATFORM_URL", f"http://{host}:{port}")
    from django.conf import settings

    settings.SECRET_KEY  # noqa: B018 - load the settings now: a refused production start fails here
    mailbox: str | None = None
    worker = subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "run_huey", "--quiet"], cwd=ROOT)
    if sandbox:
        # Simulated partner institutions (banks, registries) for network inquiry, on their own port.
        from zhixing.partners.sandbox.server import start_in_thread

        start_in_thread(host, sandbox_port)
        mailbox = _start_mailbox(settings.ZHIXING_ESERVICE)
    print("\n智执 · 智慧执行平台 已启动")
    print(f"  地址:   http://{host}:{port}/")
    print(f"  数据:   {os.environ.get('DATA_DIR', ROOT / 'var')}")
    if sandbox:
        print(f"  联动单位模拟: http://{host}:{sandbox_port}/  (ZHIXING_SANDBOX=0 关闭)")
        if mailbox is not None:
            print(f"  模拟邮件服务器: smtp://{mailbox}  (收件: http://{host}:{sandbox_port}/_sandbox/mail)")
    if not production:
        import django

        django.setup()  # the roster names its courts' levels and teams by the court models' choices
        from zhixing.courts import demo_roster

        total = len(demo_roster.accounts())
        print(f"  演示账号（密码均为 {demo_roster.DEMO_PASSWORD}；全部 {total} 个账号见登录页）:")
        for a in demo_roster.featured():
            print(f"    {a.username:<14} {a.full_name} · {a.role_label} · {a.court_name}")
    print("  按 Ctrl+C 停止\n", flush=True)
    try:
        # The same server settings as the documented deployment (client address: TRUSTED_PROXIES only).
        serve(host, port)
    finally:
        worker.send_signal(signal.SIGINT)
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()


if __name__ == "__main__":
    main()
