"""Row locks lock only the rows the service means to change.

On PostgreSQL, ``select_for_update()`` on a queryset that also ``select_related()``s other tables locks the
joined rows as well (``FOR UPDATE`` without ``OF``): a court, a case or a node type that every other
writer touches is then held until the commit, and two services taking the same rows in another order
deadlock. The soak met exactly that (the notice deadline's node lock also locked the shared node type
every filing checks at COMMIT). Every such chain must therefore name ``of=`` — normally ``("self",)``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import zhixing

SRC = Path(zhixing.__file__).parent


def _chain_methods(node: ast.AST) -> list[ast.Call]:
    """The method calls of one chained expression, outermost first (``a.b().c().d()`` → d, c, b)."""
    calls: list[ast.Call] = []
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        calls.append(node)
        node = node.func.value
    return calls


def _unscoped_locks(tree: ast.AST) -> list[int]:
    found: list[int] = []
    seen: set[int] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or id(node) in seen:
            continue
        chain = _chain_methods(node)
        for c in chain:
            seen.add(id(c))
        names = {c.func.attr: c for c in chain if isinstance(c.func, ast.Attribute)}
        lock = names.get("select_for_update")
        if lock is not None and "select_related" in names and not any(k.arg == "of" for k in lock.keywords):
            found.append(lock.lineno)
    return found


def test_locks_with_joined_rows_name_their_table() -> None:
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        for line in _unscoped_locks(ast.parse(path.read_text(encoding="utf-8"))):
            offenders.append(f"{path.relative_to(SRC)}:{line}")
    assert offenders == []


def test_the_check_finds_an_unscoped_lock() -> None:
    bad = ast.parse("x = M.objects.select_for_update().select_related('case').get(pk=1)")
    good = ast.parse("x = M.objects.select_for_update(of=('self',)).select_related('case').get(pk=1)")
    plain = ast.parse("x = M.objects.select_for_update().get(pk=1)")
    assert _unscoped_locks(bad) == [1]
    assert _unscoped_locks(good) == []
    assert _unscoped_locks(plain) == []
