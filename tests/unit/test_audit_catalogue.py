"""The audit catalogue covers every audit action the code writes, and every status has Chinese words.

The scan reads the source (no import side effects): every `audit.record(actor, "<code>", ...)` call and
every `{"action": "<code>", "object_type": ...}` item of `audit.record_many`. A code built at run time
(an f-string or a variable) must be listed in `DYNAMIC_SITES` below with every code it can produce.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps

from zhixing.core import audit_catalogue as catalogue

SRC = Path(__file__).resolve().parents[2] / "src" / "zhixing"

# file:function of a call site whose action code is computed -> every code it writes.
DYNAMIC_SITES: dict[str, set[str]] = {
    "core/audited_admin.py:write_record": {
        "admin.add",
        "admin.change",
        "admin.delete",
        "admin.action.revoke",
    },
    "core/audited_admin.py:run": {"admin.action.delete_selected"},
    "credit/services/partners.py:audit_screening": {
        "screening.check",
        "screening.batch",
        "screening.private",
        "screening.changes",
    },
    "funds/services/distribution.py:record": {"funds.plan_create"},
    "inquiry/services/controls.py:_create_control": {
        f"inquiry.{a}.request" for a in ("freeze", "deduct", "seize", "release", "renew")
    },
    "inquiry/services/feedback.py:apply_control": {
        f"inquiry.{a}.result" for a in ("query", "freeze", "deduct", "seize", "release", "renew")
    },
    "inquiry/services/requests.py:file_round": {"inquiry.start", "inquiry.dormant.reinquiry"},
}
# The definitions themselves (they pass their parameter on).
NOT_CALL_SITES = {"core/audit.py:record", "core/audit.py:_digest"}


def _literal(node: ast.AST) -> set[str] | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        body, orelse = _literal(node.body), _literal(node.orelse)
        return None if body is None or orelse is None else body | orelse
    return None


def _action_expr(node: ast.AST) -> ast.AST | None:
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "audit"
        and node.func.attr == "record"
    ):
        if len(node.args) > 1:
            return node.args[1]
        return next((k.value for k in node.keywords if k.arg == "action"), None)
    if isinstance(node, ast.Dict):
        keys = {
            k.value: v for k, v in zip(node.keys, node.values, strict=True) if isinstance(k, ast.Constant)
        }
        if "action" in keys and "object_type" in keys:
            return keys["action"]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict":
        kw = {k.arg: k.value for k in node.keywords}
        if "action" in kw and "object_type" in kw:
            return kw["action"]
    return None


def scan() -> tuple[dict[str, str], dict[str, str]]:
    """(literal code -> where, dynamic site -> expression) over every module of src/zhixing."""
    literal: dict[str, str] = {}
    dynamic: dict[str, str] = {}
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        owner: dict[int, str] = {}
        for fn in ast.walk(tree):
            if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                for n in ast.walk(fn):
                    owner[id(n)] = fn.name  # innermost function wins (walked after its parents)
        for node in ast.walk(tree):
            expr = _action_expr(node)
            if expr is None:
                continue
            where = f"{path.relative_to(SRC).as_posix()}:{owner.get(id(node), '<module>')}"
            codes = _literal(expr)
            if codes is None:
                if where not in NOT_CALL_SITES:
                    dynamic[where] = f"line {node.lineno}: {ast.unparse(expr)}"
            else:
                for code in codes:
                    literal.setdefault(code, where)
    return literal, dynamic


LITERAL, DYNAMIC = scan()


def test_the_scan_finds_the_known_call_sites() -> None:
    assert len(LITERAL) >= 130
    assert {"case.file", "inquiry.view.register", "analytics.import.done", "funds.receipt"} <= set(LITERAL)


def test_every_computed_action_code_is_listed() -> None:
    unlisted = {site: expr for site, expr in DYNAMIC.items() if site not in DYNAMIC_SITES}
    assert not unlisted, (
        "audit action codes computed at run time: list every code each can write in DYNAMIC_SITES of "
        f"tests/unit/test_audit_catalogue.py and give each words in its app's audit_words.py: {unlisted}"
    )
    stale = set(DYNAMIC_SITES) - set(DYNAMIC)
    assert not stale, f"DYNAMIC_SITES names call sites that no longer compute a code: {sorted(stale)}"


def test_every_audit_action_written_has_chinese_words() -> None:
    codes = {**LITERAL, **{c: site for site, cs in DYNAMIC_SITES.items() for c in cs}}
    missing = {code: where for code, where in codes.items() if not catalogue.has_words(code)}
    assert not missing, (
        "audit actions without words (add them to register_actions in <app>/audit_words.py, "
        f"docs/audit.md): {missing}"
    )
    for code in codes:
        label = catalogue.action_label(code)
        assert re.search(r"[\u4e00-\u9fff]", label), (code, label)
        assert code not in label


def test_unknown_codes_read_as_a_generic_phrase() -> None:
    assert catalogue.has_words("inquiry.nothing.like.this") is False
    assert catalogue.action_label("inquiry.nothing.like.this") == "查控操作"
    assert catalogue.action_label("zz.unknown") == "系统操作"


def _has_cjk(text: object) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", str(text)))


# Choices whose labels are notations, not words: a file's encoding and a date's layout as banks name them.
NOTATION_FIELDS = {"funds.StatementLayout.encoding", "funds.StatementLayout.date_format"}


def test_every_model_choice_has_chinese_words() -> None:
    bad = []
    for model in apps.get_models():
        if not model.__module__.startswith("zhixing."):
            continue
        for field in model._meta.get_fields():
            for value, label in getattr(field, "flatchoices", None) or ():
                if value in ("", None):
                    continue
                if not _has_cjk(label) and f"{model._meta.label}.{field.name}" not in NOTATION_FIELDS:
                    bad.append(f"{model._meta.label}.{field.name}={value!r}: {label!r}")
    assert not bad, bad


def test_every_zhixing_model_has_chinese_verbose_names() -> None:
    bad = [
        m._meta.label
        for m in apps.get_models()
        if m.__module__.startswith("zhixing.")
        and not (_has_cjk(m._meta.verbose_name) and _has_cjk(m._meta.verbose_name_plural))
    ]
    assert not bad, bad


@pytest.mark.parametrize(
    ("action", "before", "after", "expected"),
    [
        (
            "case.close",
            None,
            {"mode": "performed", "details": {"how": "voluntary", "performed_amount": "7166.29"}},
            "结案方式：执行完毕；结案信息：履行方式：自动履行，执行到位金额：7,166.29元",
        ),
        (
            "analytics.import.reject",
            None,
            {"errors": [{"row": 26, "reason": "金额为空"}, {"row": 31, "reason": "日期无效"}]},
            "问题行：第26行：原因：金额为空；第31行：原因：日期无效",
        ),
        ("case.assign", {"status": "registered"}, {"status": "in_progress"}, "状态：已立案待分案 → 执行中"),
        ("inquiry.view.register", None, {"via": "web", "day": "2026-12-03"}, "途径：网页；日期：2026-12-03"),
        ("credit.list", None, {"controlled": False, "names": []}, "已控制财产：否；其他信息：无"),
    ],
)
def test_detail_reads_as_labelled_fields(action: str, before: object, after: object, expected: str) -> None:
    text = catalogue.summary(action, before, after)
    assert text == expected
    assert "{" not in text and "[" not in text and "True" not in text


@pytest.mark.django_db
def test_runtime_guard_names_the_code_and_where_to_add_words() -> None:
    from django.db import transaction

    from tests import conftest
    from zhixing.core import audit

    platform_code = compile(
        'audit.record(None, "zz.unworded", object_type="t")', "/srv/src/zhixing/funds/services/x.py", "exec"
    )
    with transaction.atomic():
        exec(platform_code, {"audit": audit})  # a platform module writing a code without words
        audit.record(None, "zz.fromtest", object_type="t")  # a test's own code: not checked
    found = list(conftest._UNWORDED)
    conftest._UNWORDED.clear()
    assert found == [
        "audit action 'zz.unworded' (written at /srv/src/zhixing/funds/services/x.py:1) "
        "has no Chinese words: add it to register_actions(...) in "
        "src/zhixing/funds/audit_words.py (docs/audit.md)"
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("ded-f6319ab0c2e1a9", "扣划 · 尾号c2e1a9"),
        ("DEMO-DED-粤0106-A", "扣划 · 尾号0106-A"),
        ("20260303ICBC0000012345", "尾号012345"),
        ("TXN-42", "TXN-42"),
        ("", "—"),
        (None, "—"),
    ],
)
def test_references_read_as_words_and_tails(value: object, expected: str) -> None:
    from django.template import Context, Template

    assert Template("{% load words %}{{ v|human_ref }}").render(Context({"v": value})) == expected


def test_word_filter_uses_the_catalogue_tables() -> None:
    from django.template import Context, Template

    tpl = Template(
        '{% load words %}{{ s|word:"funds:source" }}/{{ e|word:"encoding" }}/{{ d|word:"funds:date_format" }}'
        "/{{ a|action_words }}"
    )
    out = tpl.render(Context({"s": "deduction", "e": "gbk", "d": "%Y%m%d", "a": "analytics.import.done"}))
    assert out == "扣划/GBK 编码/YYYYMMDD/流水导入完成"
