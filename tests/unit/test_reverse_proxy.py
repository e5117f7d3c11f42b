"""`make cluster`'s nginx configuration: accepted by nginx, and it sets the client address the way
`zhixing.core.clientaddr` reads it (append to X-Forwarded-For, overwrite X-Forwarded-Proto)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from zhixing.config.reverse_proxy import nginx_conf

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def _conf(tmp_path: Path) -> str:
    return nginx_conf(
        listen="127.0.0.1:18100",
        workers=["127.0.0.1:18110", "127.0.0.1:18111"],
        state=tmp_path,
        static_root=tmp_path / "static",
    )


def test_every_worker_is_upstream_and_the_forwarding_headers_are_set(tmp_path: Path) -> None:
    text = _conf(tmp_path)
    assert "server 127.0.0.1:18110 max_fails=1 fail_timeout=2s;" in text
    assert "server 127.0.0.1:18111 max_fails=1 fail_timeout=2s;" in text
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in text
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in text
    assert "proxy_set_header Upgrade $http_upgrade;" in text  # /ws/notifications/
    assert "proxy_next_upstream error timeout;" in text  # never http_502: a sent POST is not replayed
    assert f"alias {tmp_path / 'static'}/;" in text
    assert str(Path("/var/log/nginx")) not in text  # every file under the cluster's state directory


@pytest.mark.skipif(NGINX is None, reason="nginx not installed (scripts/system-deps.sh cluster)")
def test_nginx_accepts_the_configuration(tmp_path: Path) -> None:
    conf = tmp_path / "nginx.conf"
    conf.write_text(_conf(tmp_path))
    done = subprocess.run(
        [str(NGINX), "-t", "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "error.log")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "syntax is ok" in done.stderr
