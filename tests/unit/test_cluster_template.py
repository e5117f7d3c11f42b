"""`make cluster`'s migrated template: which schema a dump belongs to, and where it is kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from zhixing.config import cluster_template


def _tree(root: Path, migration: str, preset: str) -> None:
    (root / "zhixing" / "things" / "migrations").mkdir(parents=True)
    (root / "zhixing" / "things" / "migrations" / "0001_initial.py").write_text(migration)
    (root / "zhixing" / "things" / "presets.py").write_text(preset)


def test_the_digest_follows_the_migrations_the_modules_they_import_and_the_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cluster_template, "SRC", tmp_path)
    importing = "from zhixing.things.presets import BUILTIN\n"
    _tree(tmp_path, importing, "BUILTIN = [1]\n")
    first = cluster_template.schema_digest("15")
    assert cluster_template.schema_digest("15") == first
    assert cluster_template.schema_digest("16") != first  # another server version: another dump
    (tmp_path / "zhixing" / "things" / "presets.py").write_text("BUILTIN = [1, 2]\n")
    changed_preset = cluster_template.schema_digest("15")
    assert changed_preset != first  # a data migration's source changed
    (tmp_path / "zhixing" / "things" / "migrations" / "0002_more.py").write_text("x = 1\n")
    assert cluster_template.schema_digest("15") not in (first, changed_preset)


def test_a_module_no_migration_imports_does_not_move_the_digest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cluster_template, "SRC", tmp_path)
    _tree(tmp_path, "x = 1\n", "BUILTIN = [1]\n")
    first = cluster_template.schema_digest("15")
    (tmp_path / "zhixing" / "things" / "presets.py").write_text("BUILTIN = [3]\n")
    assert cluster_template.schema_digest("15") == first


def test_the_folder_is_configurable_and_can_be_switched_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLUSTER_TEMPLATE_DIR", "/srv/templates")
    assert cluster_template.directory() == Path("/srv/templates")
    monkeypatch.setenv("CLUSTER_TEMPLATE_DIR", "off")
    assert cluster_template.directory() is None
    assert cluster_template.template_path("postgres://postgres@127.0.0.1:5432/zhixing", object()) is None
    monkeypatch.delenv("CLUSTER_TEMPLATE_DIR")
    assert cluster_template.directory() == Path.home() / ".cache" / "zhixing" / "cluster"
    # SQLite (the embedded default) is never templated.
    assert cluster_template.template_path("sqlite:///tmp/x.sqlite3", object()) is None


def test_an_unwritable_cache_folder_only_skips_the_dump(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    cluster_template.save("postgres://postgres@127.0.0.1:1/zhixing", blocker / "sub" / "x.dump")
    assert not (blocker / "sub").exists()
