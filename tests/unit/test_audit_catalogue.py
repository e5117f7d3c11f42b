"""The audit catalogue covers every audit action the code writes, and every status has Chinese words.

The scan reads the source (no import side effects): every `audit.record(actor, "<code>", ...)` call and
every `{"action": "<code>", "object_type": ...}` item of `audit.record_many`. A code built at run time
(an f-string or a variable) must be listed in `DYNAMIC_SITES` below with every code it can produce.
"""

from __future__ import annotations

import ast
import functools
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps

from zhixing.core import audit_catalogue as catalogue

SRC = Path(__file__).resolve().parents[2] / "src" / "zhixing"

# file:function of a call site whose action code is computed -> every code it writes.
DYNAMIC_SITES: dict[str, set[str]] = {
    # EXPORT_ACTION, the one code of every Excel export (core/exports.py)
    "core/exports.py:xlsx_response": {"export.xlsx"},
    # admin.add / admin.change / admin.delete logged by Django's admin, passed on by `_audit_logged`
    "core/audited_admin.py:_audit_logged": {"admin.add", "admin.change", "admin.delete"},
    # f"admin.action.{name}" of any admin action (the catalogue's "admin.action." prefix words)
    "core/audited_admin.py:run": {"admin.action.revoke", "admin.action.privacy_rotate"},
    # the screening gateway's group commit: one record per call, screening.<check|batch> (credit/gateway/)
    "credit/services/partners.py:screening_items": {"screening.check", "screening.batch"},
    "inquiry/services/controls.py:request_control": {
        f"inquiry.{a}.request" for a in ("freeze", "deduct", "seize", "release", "renew")
    },
    "inquiry/services/feedback.py:apply_control": {
        f"inquiry.{a}.result" for a in ("query", "freeze", "deduct", "seize", "release", "renew")
    },
    # an alert's step, f"command.alert.{action}" for the actions alerts._NEXT accepts (command/alerts.py)
    "command/api_field.py:alert_step": {
        f"command.alert.{a}" for a in ("acknowledge", "act", "dispatch", "close")
    },
    "command/views_alerts.py:alert_step": {
        f"command.alert.{a}" for a in ("acknowledge", "act", "dispatch", "close")
    },
    # dispatching a team on an open alert steps it with AlertStep.Action.DISPATCH (command/dispatch.py)
    "command/dispatch.py:create_task": {"command.alert.dispatch"},
}
# The definitions themselves (they pass their parameter on).
NOT_CALL_SITES = {"core/audit.py:record", "core/audit.py:_digest_of"}


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


@dataclass(frozen=True)
class _Wrapper:
    """A function that passes one of its parameters on as (part of) the action code."""

    name: str
    index: int  # position of the parameter in a call
    param: str
    prefix: str
    suffix: str
    default: str | None


def _as_wrapper(expr: ast.AST, fn: ast.FunctionDef | ast.AsyncFunctionDef | None) -> _Wrapper | None:
    """`action` or `f"funds.plan_{action}"` where `action` is a parameter of the enclosing `fn`."""
    if fn is None:
        return None
    prefix = suffix = ""
    if isinstance(expr, ast.JoinedStr):
        parts = expr.values
        names = [v for v in parts if isinstance(v, ast.FormattedValue)]
        if len(names) != 1 or not all(isinstance(v, ast.Constant | ast.FormattedValue) for v in parts):
            return None
        i = parts.index(names[0])
        prefix = "".join(str(v.value) for v in parts[:i] if isinstance(v, ast.Constant))
        suffix = "".join(str(v.value) for v in parts[i + 1 :] if isinstance(v, ast.Constant))
        expr = names[0].value
    if isinstance(expr, ast.Subscript):  # `action[:64]`: a cut of the parameter
        expr = expr.value
    if not isinstance(expr, ast.Name):
        return None
    args = [*fn.args.posonlyargs, *fn.args.args]
    params = [a.arg for a in args]
    kwonly = [a.arg for a in fn.args.kwonlyargs]
    if expr.id in params:
        index = params.index(expr.id)
        defaults = dict(zip(params[len(params) - len(fn.args.defaults) :], fn.args.defaults, strict=True))
        default = defaults.get(expr.id)
    elif expr.id in kwonly:
        index = -1
        default = dict(zip(kwonly, fn.args.kw_defaults, strict=True)).get(expr.id)
    else:
        return None
    literal = _literal(default) if default is not None else None
    return _Wrapper(fn.name, index, expr.id, prefix, suffix, next(iter(literal)) if literal else None)


def _imports(imports: list[ast.ImportFrom], wrapper: _Wrapper, module: str) -> bool:
    """Whether a module (its `from … import` statements) imports the wrapper by name from the module
    that defines it."""
    stem = module.rsplit("/", 1)[-1].removesuffix(".py")
    return any(
        (node.module or "").rsplit(".", 1)[-1] == stem
        and any(alias.name == wrapper.name for alias in node.names)
        for node in imports
    )


def _calls_of(
    calls: list[ast.Call], wrapper: _Wrapper, by_name: bool
) -> list[tuple[ast.Call, ast.AST | None]]:
    """Calls of the wrapper among a module's `calls`: `name(...)` where the module has it, `x.name(...)`
    anywhere but `audit.`."""
    out = []
    for node in calls:
        func = node.func
        if isinstance(func, ast.Name):
            hit = by_name and func.id == wrapper.name
        elif isinstance(func, ast.Attribute):
            hit = func.attr == wrapper.name and not (
                isinstance(func.value, ast.Name) and func.value.id == "audit"
            )
        else:
            hit = False
        if not hit:
            continue
        arg = next((k.value for k in node.keywords if k.arg == wrapper.param), None)
        if arg is None and 0 <= wrapper.index < len(node.args):
            arg = node.args[wrapper.index]
        out.append((node, arg))
    return out


def _own(
    node: ast.AST,
    fn: ast.FunctionDef | ast.AsyncFunctionDef | None,
    owner: dict[int, ast.FunctionDef | ast.AsyncFunctionDef],
) -> None:
    """Record the innermost function around every node under `node` (a function owns itself)."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        fn = node
    if fn is not None:
        owner[id(node)] = fn
    for child in ast.iter_child_nodes(node):
        _own(child, fn, owner)


def scan() -> tuple[dict[str, str], dict[str, str]]:
    """(code -> where, unresolved dynamic site -> expression) over every module of src/zhixing.

    A code passed on by a wrapper (`record(actor, "serve", plan)` into `f"funds.plan_{action}"`) is
    resolved from the wrapper's call sites; what stays computed must be listed in DYNAMIC_SITES.
    """
    literal: dict[str, str] = {}
    dynamic: dict[str, str] = {}
    wrappers: list[tuple[_Wrapper, str]] = []
    trees: dict[str, ast.AST] = {}
    calls: dict[str, list[ast.Call]] = {}
    imports: dict[str, list[ast.ImportFrom]] = {}
    owners: dict[str, dict[int, ast.FunctionDef | ast.AsyncFunctionDef]] = {}
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        rel = path.relative_to(SRC).as_posix()
        tree = trees[rel] = ast.parse(path.read_text(encoding="utf-8"))
        owner = owners[rel] = {}
        nodes = list(ast.walk(tree))
        calls[rel] = [node for node in nodes if isinstance(node, ast.Call)]
        imports[rel] = [node for node in nodes if isinstance(node, ast.ImportFrom)]
        _own(tree, None, owner)
        for node in nodes:
            expr = _action_expr(node)
            if expr is None:
                continue
            fn = owner.get(id(node))
            where = f"{rel}:{fn.name if fn else '<module>'}"
            codes = _literal(expr)
            if codes is not None:
                for code in codes:
                    literal.setdefault(code, where)
            elif where not in NOT_CALL_SITES:
                wrapper = _as_wrapper(expr, fn)
                if wrapper is None:
                    dynamic[where] = f"line {node.lineno}: {ast.unparse(expr)}"
                else:
                    wrappers.append((wrapper, where))
    for wrapper, where in wrappers:
        if wrapper.default is not None:
            literal.setdefault(f"{wrapper.prefix}{wrapper.default}{wrapper.suffix}", where)
        home = where.split(":", 1)[0]
        for rel in trees:
            by_name = rel == home or _imports(imports[rel], wrapper, home)
            for call, arg in _calls_of(calls[rel], wrapper, by_name):
                values = _literal(arg) if arg is not None else set()
                if values is None:
                    caller = owners[rel].get(id(call))
                    site = f"{rel}:{caller.name if caller else '<module>'}"
                    dynamic[site] = (
                        f"line {call.lineno}: {wrapper.name}(... {ast.unparse(arg) if arg else '?'} ...)"
                    )
                    continue
                for value in values:
                    literal.setdefault(f"{wrapper.prefix}{value}{wrapper.suffix}", f"{rel}:{call.lineno}")
    return literal, dynamic


@functools.cache
def scanned() -> tuple[dict[str, str], dict[str, str]]:
    """The scan, made once per process when a test first needs it (never at collection: every pytest
    worker collects every module)."""
    return scan()


def test_the_scan_finds_the_known_call_sites() -> None:
    literal, _ = scanned()
    assert len(literal) >= 130
    assert {"case.file", "inquiry.view.register", "analytics.import.done", "funds.receipt"} <= set(literal)


def test_every_computed_action_code_is_listed() -> None:
    _, dynamic = scanned()
    unlisted = {site: expr for site, expr in dynamic.items() if site not in DYNAMIC_SITES}
    assert not unlisted, (
        "audit action codes computed at run time: list every code each can write in DYNAMIC_SITES of "
        f"tests/unit/test_audit_catalogue.py and give each words in its app's audit_words.py: {unlisted}"
    )
    stale = set(DYNAMIC_SITES) - set(dynamic)
    assert not stale, f"DYNAMIC_SITES names call sites that no longer compute a code: {sorted(stale)}"


def test_every_audit_action_written_has_chinese_words() -> None:
    codes = {**scanned()[0], **{c: site for site, cs in DYNAMIC_SITES.items() for c in cs}}
    missing = {code: where for code, where in codes.items() if not catalogue.has_words(code)}
    assert not missing, (
        "audit actions without words (add them to register_actions in <app>/audit_words.py, "
        f"docs/audit.md): {missing}"
    )
    for code in codes:
        label = catalogue.action_label(code)
        assert re.search(r"[\u4e00-\u9fff]", label), (code, label)
        assert code not in label


def _dict_keys(node: ast.AST, out: set[str]) -> None:
    if isinstance(node, ast.Dict):
        for k, v in zip(node.keys, node.values, strict=True):
            if isinstance(k, ast.Constant) and isinstance(k.value, str):
                out.add(k.value)
                _dict_keys(v, out)
    elif isinstance(node, ast.List | ast.Tuple):
        for e in node.elts:
            _dict_keys(e, out)
    elif isinstance(node, ast.ListComp):
        _dict_keys(node.elt, out)


def test_every_detail_key_written_literally_has_a_label() -> None:
    """Keys of `before`/`after` dict literals at call sites with a literal code have a label."""
    missing = set()
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            expr = _action_expr(node)
            codes = _literal(expr) if expr is not None else None
            if not codes:
                continue
            if isinstance(node, ast.Call):
                parts = [k.value for k in node.keywords if k.arg in ("before", "after")]
            else:
                assert isinstance(node, ast.Dict)
                parts = [
                    v
                    for k, v in zip(node.keys, node.values, strict=True)
                    if isinstance(k, ast.Constant) and k.value in ("before", "after")
                ]
            keys: set[str] = set()
            for part in parts:
                _dict_keys(part, keys)
            for code in codes:
                ns = code.split(".", 1)[0]
                missing |= {(code, key) for key in keys if not catalogue.has_key_label(key, ns)}
    assert not missing, (
        f"detail keys without a label (register_keys in <app>/audit_words.py): {sorted(missing)}"
    )


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
        (
            "screening.intercept",
            None,
            {"partner": "某航空公司", "code": "flight", "channel": "值机柜台"},
            "合作单位：某航空公司；拦截事项：限制乘坐飞机；渠道：值机柜台",
        ),
        (
            "command.alert.raise",
            None,
            {"kind": "payout_overdue", "source_key": "payout:3:overdue"},
            "类型：案款发放超期；来源标识：发款#3（逾期）",
        ),
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


def test_every_zhixing_model_field_has_a_chinese_label() -> None:
    """The admin shows field labels: none may be the English attribute name."""
    bad = [
        f"{m._meta.label}.{f.name}"
        for m in apps.get_models()
        if m.__module__.startswith("zhixing.")
        for f in m._meta.concrete_fields
        if not f.primary_key and not _has_cjk(f.verbose_name)
    ]
    assert not bad, bad
