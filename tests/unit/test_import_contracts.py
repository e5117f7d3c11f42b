"""The layer contracts in .importlinter hold, among them: no domain's services import its tasks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ONE_WAY = ["inquiry", "credit", "funds", "analytics", "cases"]


def test_services_never_import_tasks_and_every_contract_is_kept(tmp_path: Path) -> None:
    config = (ROOT / ".importlinter").read_text(encoding="utf-8")
    for domain in ONE_WAY:
        assert f"[importlinter:contract:{domain}-services-enqueue-through-hooks]" in config
        assert f"    zhixing.{domain}.tasks" in config
    lint = Path(sys.executable).with_name("lint-imports")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), DATA_DIR=str(tmp_path))
    done = subprocess.run(
        [str(lint), "--config", str(ROOT / ".importlinter"), "--no-cache"],
        cwd=ROOT / "src",
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout
    for domain in ONE_WAY:
        assert f"{domain} services, queries and models never import {domain}.tasks" in done.stdout
