"""scripts/run-deps.sh (called by `make run`): with a fake PATH, what it installs, says and skips."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "run-deps.sh"


def _tool(bin_dir: Path, name: str, body: str) -> None:
    path = bin_dir / name
    path.write_text(f"#!/bin/bash\n{body}\n")
    path.chmod(0o755)


@pytest.fixture
def fake(tmp_path: Path):
    """A PATH with only the tools a test puts there; `apt-get` logs its arguments."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "apt.log"

    def run(*, uid: int, chromium: bool, fonts: bool, apt: str = "ok", skip: bool = False) -> tuple[str, str]:
        _tool(bin_dir, "id", f"echo {uid}")
        if chromium:
            _tool(bin_dir, "chromium", "exit 0")
        _tool(bin_dir, "fc-list", "echo 'Noto Sans CJK SC'" if fonts else "exit 0")
        if apt:
            _tool(bin_dir, "apt-get", f'echo "$*" >> {log}; exit {0 if apt == "ok" else 100}')
        env = {"PATH": str(bin_dir)}
        if skip:
            env["ZHIXING_SKIP_RUN_DEPS"] = "1"
        done = subprocess.run(["/bin/bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=30)
        assert done.returncode == 0, done.stderr
        return done.stdout, log.read_text() if log.exists() else ""

    return run


def test_nothing_missing_installs_nothing(fake) -> None:
    out, apt = fake(uid=0, chromium=False, fonts=True)
    assert out == "run-deps: CJK fonts present (document PDFs available)\n"
    assert apt == ""


def test_root_installs_the_fonts_and_never_a_browser(fake) -> None:
    """Every PDF is drawn by fpdf2 with the font (issue 17): `make run` needs no Chromium."""
    out, apt = fake(uid=0, chromium=False, fonts=False)
    assert apt.splitlines() == ["update -q", "install -y -q --no-install-recommends fonts-noto-cjk"]
    assert out.splitlines() == [
        "run-deps: installing fonts-noto-cjk with apt-get",
        "run-deps: installed fonts-noto-cjk",
    ]


def test_failed_install_never_fails_the_run(fake) -> None:
    out, _ = fake(uid=0, chromium=False, fonts=False, apt="fail")
    assert out.splitlines()[-1].startswith("run-deps: apt-get could not install fonts-noto-cjk (offline?)")


def test_not_root_says_what_to_install(fake) -> None:
    out, apt = fake(uid=1000, chromium=False, fonts=False)
    assert apt == ""
    assert "run-deps: missing fonts-noto-cjk; not root, so not installing." in out
    assert "sudo apt-get install -y fonts-noto-cjk" in out


def test_no_apt_get(fake) -> None:
    out, _ = fake(uid=0, chromium=True, fonts=False, apt="")
    assert out.startswith("run-deps: missing fonts-noto-cjk; apt-get not found")


def test_skipped(fake) -> None:
    out, apt = fake(uid=0, chromium=False, fonts=False, skip=True)
    assert out == "run-deps: skipped (ZHIXING_SKIP_RUN_DEPS=1)\n" and apt == ""


def test_makefile_runs_it_before_migrate() -> None:
    makefile = (SCRIPT.parents[1] / "Makefile").read_text()
    run = makefile.split("\nrun:")[1].split("\n\n")[0]
    assert run.index("bash scripts/run-deps.sh") < run.index("manage.py migrate")
