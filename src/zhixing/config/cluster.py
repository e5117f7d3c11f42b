"""`make cluster`: the scaled-out platform on this machine, as a province deploys it (docs/deploy.md).

PostgreSQL and Redis (throwaway servers from Debian's packages, started by `scripts/services.sh` under
`CLUSTER_DIR` on their own ports so they never meet the test suite's, or existing ones named by
`DATABASE_URL` / `REDIS_URL`), `CLUSTER_WEB_WORKERS` uvicorn web workers behind nginx (which sets the
client address; `ZHIXING_TRUSTED_PROXIES=127.0.0.1`), `CLUSTER_CONSUMERS` Huey consumers, the Channels
layer and the shared cache on Redis, and the partner sandbox. The first start migrates and loads the
demo province. Ctrl+C (or SIGTERM) stops everything it started, servers included; a web worker or
consumer that dies meanwhile is started again (the soak test kills them on purpose).

Each web worker is its own process on its own port (`python -m zhixing.config.server`), so one can die
while nginx sends the next requests to the others. Environment (defaults): CLUSTER_PORT (8100, nginx),
CLUSTER_WEB_WORKERS (2), CLUSTER_CONSUMERS (2), CLUSTER_DIR (./var/cluster), CLUSTER_PGPORT (25340),
CLUSTER_REDISPORT (63740), CLUSTER_DEMO_CASES (400, the demo's size on first start); web workers listen
on CLUSTER_PORT+10…, the sandbox on CLUSTER_PORT+1 (its mail server on ZHIXING_SMTP_PORT, 8025).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from .reverse_proxy import nginx_conf

ROOT = Path(__file__).resolve().parents[3]
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """In the child before exec: receive SIGTERM when the launcher dies (even by SIGKILL)."""
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass
class Child:
    """A process the launcher started and restarts if it dies (unless `restart` is False)."""

    name: str
    argv: list[str]
    stop_signal: int = signal.SIGTERM
    restart: bool = True
    proc: subprocess.Popen[bytes] | None = None
    starts: int = 0

    def start(self, env: dict[str, str], log_dir: Path) -> None:
        log = open(log_dir / f"{self.name}.log", "ab")  # noqa: SIM115 - the child keeps it open
        self.proc = subprocess.Popen(
            self.argv,
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            # Its own session: Ctrl+C reaches the launcher only, which stops the children in order.
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
        log.close()
        self.starts += 1


@dataclass
class Cluster:
    port: int
    web_workers: int
    consumers: int
    state: Path
    pg_port: int
    redis_port: int
    env: dict[str, str] = field(default_factory=dict)
    children: list[Child] = field(default_factory=list)
    started_services: list[str] = field(default_factory=list)
    stopping: bool = False

    @property
    def address(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def web_ports(self) -> list[int]:
        return [self.port + 10 + i for i in range(self.web_workers)]

    # -- servers ----------------------------------------------------------------------------------

    def services_env(self) -> dict[str, str]:
        return {
            **os.environ,
            "ZX_SERVICES_STATE": str(self.state / "services"),
            "ZX_TEST_PGPORT": str(self.pg_port),
            "ZX_TEST_REDISPORT": str(self.redis_port),
            "ZX_SERVICES_DURABLE": "1",
        }

    def start_services(self) -> None:
        wanted = [s for s, var in (("pg", "DATABASE_URL"), ("redis", "REDIS_URL")) if not os.environ.get(var)]
        if wanted:
            (self.state / "services").mkdir(parents=True, exist_ok=True)
            subprocess.run(
                ["bash", str(ROOT / "scripts/services.sh"), "start", *wanted],
                env=self.services_env(),
                check=True,
                stdout=subprocess.DEVNULL,
            )
            self.started_services = wanted
        database = os.environ.get("DATABASE_URL") or f"postgres://postgres@127.0.0.1:{self.pg_port}/zhixing"
        redis = os.environ.get("REDIS_URL") or f"redis://127.0.0.1:{self.redis_port}/0"
        if "pg" in wanted:
            create_database(database)
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "zhixing.config.settings",
            "PYTHONPATH": os.pathsep.join(
                filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])
            ),
            "DATABASE_URL": database,
            "REDIS_URL": redis,
            "DATA_DIR": str(self.state / "data"),
            "ZHIXING_TRUSTED_PROXIES": "127.0.0.1",
            "ZHIXING_DEMO": os.environ.get("ZHIXING_DEMO", "1"),
            "ZHIXING_SANDBOX_URL": f"http://127.0.0.1:{self.port + 1}",
            "ZHIXING_PLATFORM_URL": self.address,
            "PORT": str(self.port),
        }

    def stop_services(self) -> None:
        if self.started_services:
            subprocess.run(
                ["bash", str(ROOT / "scripts/services.sh"), "stop", *self.started_services],
                env=self.services_env(),
                check=False,
            )

    # -- the platform -----------------------------------------------------------------------------

    def prepare(self) -> None:
        """Migrate, load the demo once, collect the static files nginx serves (`prepare_here`, in one
        process of its own).

        These steps commit without waiting for the disk (`synchronous_commit=off` for their sessions
        only, by PGOPTIONS): thousands of small demo transactions each waited for a flush, the slowest
        part of a first start. A crash meanwhile can lose the last fraction of a second of them, which
        matters to nobody (a half-seeded demo is started afresh); the platform's own sessions keep the
        server's durable setting (an acknowledged bank notice is on disk).
        """
        env = {**self.env, "PGOPTIONS": f"{self.env.get('PGOPTIONS', '')} -c synchronous_commit=off".strip()}
        subprocess.run(
            [sys.executable, "-m", "zhixing.config.cluster", "--prepare"], cwd=ROOT, env=env, check=True
        )

    @staticmethod
    def smtp_port() -> str:
        """Where the sandbox's mail server listens: the platform's SMTP port when that server is this
        machine (ZHIXING_SMTP_HOST unset or loopback), else "0" (a real server is configured)."""
        if os.environ.get("ZHIXING_SMTP_HOST", "127.0.0.1") not in ("127.0.0.1", "localhost"):
            return "0"
        return os.environ.get("ZHIXING_SMTP_PORT") or "8025"

    def plan(self) -> None:
        py = sys.executable
        self.children = [
            Child(
                "sandbox",
                [
                    py,
                    "-m",
                    "zhixing.partners.sandbox",
                    "--port",
                    str(self.port + 1),
                    "--smtp-port",
                    self.smtp_port(),
                ],
            ),
            *(
                Child(
                    f"web-{p}", [py, "-m", "zhixing.config.server", "--host", "127.0.0.1", "--port", str(p)]
                )
                for p in self.web_ports()
            ),
            # SIGINT: Huey's graceful stop (running tasks finish); SIGTERM would abandon them.
            *(
                Child(
                    f"consumer-{i + 1}", [py, str(ROOT / "manage.py"), "run_huey", "--quiet"], signal.SIGINT
                )
                for i in range(self.consumers)
            ),
        ]
        conf = self.state / "nginx.conf"
        conf.write_text(
            nginx_conf(
                listen=f"127.0.0.1:{self.port}",
                workers=[f"127.0.0.1:{p}" for p in self.web_ports()],
                state=self.state,
                static_root=self.state / "data" / "static",
            )
        )
        nginx = "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "nginx"
        errors = str(self.state / "nginx-error.log")
        # SIGQUIT: nginx's graceful stop (requests in flight are answered).
        self.children.append(
            Child("nginx", [nginx, "-p", str(self.state), "-c", str(conf), "-e", errors], signal.SIGQUIT)
        )

    def start(self) -> None:
        logs = self.state / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        for child in self.children:
            child.start(self.env, logs)
        wait_for(f"{self.address}/login/", 120)

    def supervise(self) -> None:
        """Until stopped: start again any web worker or consumer that died."""
        logs = self.state / "logs"
        while not self.stopping:
            for child in self.children:
                if child.proc is not None and child.proc.poll() is not None and not self.stopping:
                    print(f"  {child.name} 已退出（{child.proc.returncode}），正在重启", flush=True)
                    child.start(self.env, logs)
            time.sleep(0.5)

    def stop(self) -> None:
        """nginx first (no new requests), then the workers and consumers (graceful), then the servers."""
        self.stopping = True
        order = sorted(self.children, key=lambda c: 0 if c.name == "nginx" else 1)
        for child in order:
            if child.proc is not None and child.proc.poll() is None:
                child.proc.send_signal(child.stop_signal)
        deadline = time.monotonic() + 15
        for child in order:
            if child.proc is None:
                continue
            try:
                child.proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.proc.kill()
                child.proc.wait()
        self.stop_services()


def create_database(url: str) -> None:
    """CREATE DATABASE for a fresh throwaway server (the test suite creates its own test database)."""
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    deadline = time.monotonic() + 30
    while True:
        try:
            with psycopg.connect(admin, autocommit=True) as conn:
                if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
                    conn.execute(f'CREATE DATABASE "{name}"')  # a name from our own URL
                return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def prepare_here() -> None:
    """`python -m zhixing.config.cluster --prepare`: the three preparation commands in this one process
    (one Django start instead of three), each step's time printed."""
    from django.core.management import call_command

    migrate_here()
    steps = (
        ("seed_demo", ["seed_demo", "--if-empty", "--cases", os.environ.get("CLUSTER_DEMO_CASES", "400")]),
        ("collectstatic", ["collectstatic", "--noinput", "-v0"]),
    )
    for name, args in steps:
        started = time.monotonic()
        call_command(*args)
        step_time(name, started)


def migrate_here() -> None:
    """`python -m zhixing.config.cluster --migrate`: migrate the database DATABASE_URL names, from the
    migrated template when the schema is the same (`cluster_template`); also the first step of
    `--prepare`, and what `benchmarks/bench_credit.py --deployment postgres` runs (no demo)."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from . import cluster_template

    url = os.environ["DATABASE_URL"]
    started = time.monotonic()
    template = cluster_template.template_path(url, connection)
    fresh = template is not None and cluster_template.is_empty(connection)
    restored = (
        fresh and template is not None and template.exists() and cluster_template.restore(url, template)
    )
    call_command("migrate", "--noinput", "-v0")  # nothing to apply after a restore
    step_time("migrate(template-restored)" if restored else "migrate", started)
    if fresh and not restored and template is not None:
        started = time.monotonic()
        cluster_template.save(url, template)
        step_time("template-saved", started)


def step_time(name: str, started: float) -> None:
    """One line per start step (`benchmarks/cluster_soak.py` reads them for its phase timings)."""
    print(f"  启动步骤 {name} 用时 {time.monotonic() - started:.1f} 秒", flush=True)


def wait_for(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 - our own loopback address
                if answer.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"集群未能在 {seconds:.0f} 秒内启动：{url} 无应答（日志见 CLUSTER_DIR/logs/）")
        time.sleep(0.5)


def from_environment() -> Cluster:
    env = os.environ.get
    return Cluster(
        port=int(env("CLUSTER_PORT", "8100")),
        web_workers=max(1, int(env("CLUSTER_WEB_WORKERS", "2"))),
        consumers=max(1, int(env("CLUSTER_CONSUMERS", "2"))),
        state=Path(env("CLUSTER_DIR", str(ROOT / "var" / "cluster"))).resolve(),
        pg_port=int(env("CLUSTER_PGPORT", "25340")),
        redis_port=int(env("CLUSTER_REDISPORT", "63740")),
    )


def print_banner(cluster: Cluster) -> None:
    os.environ.update(cluster.env)
    import django

    django.setup()
    from zhixing.courts import demo_roster

    print("\n智执 · 智慧执行平台（集群）已启动")
    print(f"  地址:   {cluster.address}/   （nginx → {cluster.web_workers} 个 Web 进程）")
    print(f"  Web:    {', '.join(f'127.0.0.1:{p}' for p in cluster.web_ports())}")
    print(f"  后台:   {cluster.consumers} 个 Huey 消费者（Redis 队列，周期任务每期只运行一次）")
    db = urlparse(cluster.env["DATABASE_URL"])
    print(f"  数据库: PostgreSQL {db.hostname}:{db.port}{db.path}")
    print(f"  Redis:  {cluster.env['REDIS_URL']}")
    print(f"  联动单位模拟: http://127.0.0.1:{cluster.port + 1}/")
    print(f"  日志:   {cluster.state / 'logs'}")
    featured = "、".join(a.username for a in demo_roster.featured())
    print(f"  演示账号（密码均为 {demo_roster.DEMO_PASSWORD}）: {featured}")
    print("  按 Ctrl+C 停止（连同本命令启动的 PostgreSQL、Redis）\n", flush=True)


def main() -> None:
    if sys.argv[1:] == ["--prepare"]:
        prepare_here()
        return
    if sys.argv[1:] == ["--migrate"]:
        migrate_here()
        return
    cluster = from_environment()
    cluster.state.mkdir(parents=True, exist_ok=True)

    def stop_on(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop_on)
    signal.signal(signal.SIGINT, stop_on)  # also when started in the background (SIGINT ignored there)
    try:
        started = time.monotonic()
        cluster.start_services()
        step_time("services", started)
        cluster.prepare()
        started = time.monotonic()
        cluster.plan()
        cluster.start()
        step_time("processes", started)
        print_banner(cluster)
        cluster.supervise()
    except KeyboardInterrupt:
        pass
    finally:
        print("\n正在停止集群…", flush=True)
        cluster.stop()


if __name__ == "__main__":
    main()
