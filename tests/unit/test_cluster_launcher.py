"""`make cluster`'s launcher: what it starts, on which ports, and in which order it stops."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from zhixing.config import cluster


def test_the_plan_starts_n_web_workers_m_consumers_the_sandbox_and_nginx(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in {
        "CLUSTER_PORT": "18100",
        "CLUSTER_WEB_WORKERS": "3",
        "CLUSTER_CONSUMERS": "2",
        "CLUSTER_DIR": str(tmp_path),
    }.items():
        monkeypatch.setenv(name, value)
    plan = cluster.from_environment()
    plan.plan()
    names = [c.name for c in plan.children]
    assert names == ["sandbox", "web-18110", "web-18111", "web-18112", "consumer-1", "consumer-2", "nginx"]
    web = plan.children[1]
    assert web.argv[1:] == ["-m", "zhixing.config.server", "--host", "127.0.0.1", "--port", "18110"]
    consumer = plan.children[4]
    assert consumer.argv[-2:] == ["run_huey", "--quiet"]
    assert consumer.stop_signal == signal.SIGINT  # Huey's graceful stop: running tasks finish
    assert plan.children[-1].stop_signal == signal.SIGQUIT  # nginx answers what is in flight
    conf = (tmp_path / "nginx.conf").read_text()
    assert conf.count("max_fails=1 fail_timeout=2s;") == 3
    assert "listen 127.0.0.1:18100;" in conf
    assert plan.address == "http://127.0.0.1:18100"


def test_defaults_never_meet_the_test_suites_servers(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "CLUSTER_PORT",
        "CLUSTER_PGPORT",
        "CLUSTER_REDISPORT",
        "CLUSTER_WEB_WORKERS",
        "CLUSTER_CONSUMERS",
    ):
        monkeypatch.delenv(name, raising=False)
    plan = cluster.from_environment()
    assert (plan.port, plan.pg_port, plan.redis_port) == (8100, 25340, 63740)
    assert (plan.pg_port, plan.redis_port) != (25329, 63799)  # scripts/services.sh's for make test
    assert (plan.web_workers, plan.consumers) == (2, 2)


def test_the_sandbox_runs_the_mail_server_on_the_platform_smtp_port(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLUSTER_DIR", str(tmp_path))
    monkeypatch.delenv("ZHIXING_SMTP_HOST", raising=False)
    monkeypatch.delenv("ZHIXING_SMTP_PORT", raising=False)
    plan = cluster.from_environment()
    plan.plan()
    assert plan.children[0].argv[-2:] == ["--smtp-port", "8025"]  # the platform's default (settings.eservice)
    monkeypatch.setenv("ZHIXING_SMTP_PORT", "2525")
    assert cluster.Cluster.smtp_port() == "2525"
    monkeypatch.setenv("ZHIXING_SMTP_HOST", "smtp.court.example.cn")  # a real server: no simulated one
    assert cluster.Cluster.smtp_port() == "0"
