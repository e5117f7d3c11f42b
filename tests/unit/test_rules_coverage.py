"""The rules coverage table (`docs/rules-coverage.md`) stays true to the code (issue 15 item 7).

Fails when code cites a rule id (`# rule: R-2.2.2`) that has no row, when a row names a test or a code
symbol that does not exist, when a configuration row names a setting nothing in the source reads, or
when the citation edition is not stated exactly once. The checker is pure (text in, problems out) and
tested on synthetic input too, so a broken table is reported, not silently accepted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TABLE = ROOT / "docs" / "rules-coverage.md"
SOURCES = ROOT / "src" / "zhixing"

RULE_ID = r"R-\d+(?:\.\d+)*"
CITED = re.compile(rf"rule:\s*({RULE_ID})\b")
ROW = re.compile(rf"^\|\s*({RULE_ID})\s*\|")
TEST_REF = re.compile(r"`(tests/[^`:]+\.py)::(\w+)`")
CODE_REF = re.compile(r"`(src/[^`:]+?\.py)(?:::(\w+))?`")
SETTING = re.compile(r"`([A-Z][A-Za-z_]{3,})(?:\[\"(\w+)\"\])?")
EDITION = "2022 numbering"


@dataclass(frozen=True)
class Row:
    id: str
    cells: list[str]

    @property
    def code(self) -> str:
        return self.cells[4]

    @property
    def tests(self) -> str:
        return self.cells[5]


def parse(table: str) -> list[Row]:
    rows = []
    for line in table.splitlines():
        if ROW.match(line):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            rows.append(Row(cells[0], cells))
    return rows


def cited_ids(texts: Iterable[str]) -> set[str]:
    return {m for text in texts for m in CITED.findall(text)}


def problems(table: str, sources: dict[str, str], root: Path) -> list[str]:
    """Everything wrong with `table` against the source texts (path → text) and the files under `root`."""
    out: list[str] = []
    if table.count(EDITION) != 1:
        out.append(
            f"the citation edition ({EDITION}) must be stated exactly once, found {table.count(EDITION)}"
        )
    rows = parse(table)
    ids = [r.id for r in rows]
    out += [f"duplicate row {i}" for i in sorted({i for i in ids if ids.count(i) > 1})]
    for rid in sorted(cited_ids(sources.values()) - set(ids)):
        where = [p for p, t in sources.items() if re.search(rf"rule:\s*{re.escape(rid)}\b", t)]
        out.append(f"{rid} is cited in {', '.join(sorted(where))} but has no row")
    all_source = "\n".join(sources.values())
    for r in rows:
        if len(r.cells) != 6:
            out.append(f"{r.id}: expected 6 cells, found {len(r.cells)}")
            continue
        tests = TEST_REF.findall(r.tests)
        if not tests:
            out.append(f"{r.id}: names no test")
        for path, name in tests:
            f = root / path
            if not f.is_file():
                out.append(f"{r.id}: test file {path} does not exist")
            elif not re.search(rf"^def {name}\(", f.read_text(encoding="utf-8"), re.M):
                out.append(f"{r.id}: test {path}::{name} does not exist")
        for path, symbol in CODE_REF.findall(r.code):
            f = root / path
            if not f.is_file():
                out.append(f"{r.id}: code file {path} does not exist")
            elif symbol and not re.search(rf"\b{symbol}\b", f.read_text(encoding="utf-8")):
                out.append(f"{r.id}: {symbol} not found in {path}")
        if "configuration:" in r.code:
            settings = SETTING.findall(r.code)
            if not settings:
                out.append(f"{r.id}: a configuration row must name its setting in backticks")
            for name, key in settings:
                if name not in all_source or (key and f'"{key}"' not in all_source):
                    out.append(
                        f"{r.id}: setting {name}{f'[{key!r}]' if key else ''} is not read by the source"
                    )
    return out


SECTION = re.compile(r"^## (§[\d–]+)\s")
SUBSECTION = re.compile(r"^### (Deferred|Not applicable|Not implemented)")
SUMMARY_ROW = re.compile(r"^\|\s*(§[\d–]+|total)\s*\|((?:\s*\d+\s*\|){5})\s*$")
SUMMARY_COLUMNS = ("rows", "implemented", "configuration", "deferred", "not_applicable")


def counts(table: str) -> dict[str, dict[str, int]]:
    """Per section of the table (`## §…`): its rows, those implemented and tested (code named), those
    that are configuration (the code cell starts with `configuration:`), and the bullets listed under its
    "Deferred" and "Not applicable" subsections; a "Not implemented" subsection counts under `missing`."""
    out: dict[str, dict[str, int]] = {}
    section = sub = None
    for line in table.splitlines():
        if m := SECTION.match(line):
            section, sub = m.group(1), None
            out[section] = dict.fromkeys((*SUMMARY_COLUMNS, "missing"), 0)
            continue
        if line.startswith("## "):
            section = sub = None
            continue
        if section is None:
            continue
        if m := SUBSECTION.match(line):
            sub = m.group(1)
            continue
        c = out[section]
        if ROW.match(line):
            cells = [x.strip() for x in line.strip().strip("|").split("|")]
            c["rows"] += 1
            c["configuration" if cells[4].startswith("configuration:") else "implemented"] += 1
        elif sub and re.match(r"^[*-] ", line):
            c[{"Deferred": "deferred", "Not applicable": "not_applicable"}.get(sub, "missing")] += 1
    return out


def summary_problems(table: str) -> list[str]:
    """The summary table (`| §2 | rows | implemented | configuration | deferred | n/a |` and a total
    row) must state exactly what `counts` finds, and no section may keep a "Not implemented" list."""
    found = counts(table)
    stated: dict[str, tuple[int, ...]] = {}
    for line in table.splitlines():
        if m := SUMMARY_ROW.match(line):
            stated[m.group(1)] = tuple(int(x) for x in m.group(2).replace(" ", "").strip("|").split("|"))
    want = {k: tuple(v[c] for c in SUMMARY_COLUMNS) for k, v in found.items()}
    want["total"] = tuple(sum(v[i] for v in want.values()) for i in range(len(SUMMARY_COLUMNS)))
    out = [
        f"{k}: the summary states {stated.get(k)}, the table has {w}"
        for k, w in want.items()
        if stated.get(k) != w
    ]
    out += [f"{k}: the summary names a section the table does not have" for k in stated.keys() - want.keys()]
    out += [
        f"{k}: {v['missing']} rule(s) still listed as not implemented"
        for k, v in found.items()
        if v["missing"]
    ]
    return out


def _sources() -> dict[str, str]:
    files = [*SOURCES.rglob("*.py"), *SOURCES.rglob("*.html")]
    return {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in files}


# -- the real table ---------------------------------------------------------------------------------


def test_the_coverage_table_matches_the_code() -> None:
    assert problems(TABLE.read_text(encoding="utf-8"), _sources(), ROOT) == []


def test_the_summary_counts_are_the_tables() -> None:
    assert summary_problems(TABLE.read_text(encoding="utf-8")) == []


def test_the_table_covers_the_rules_issue_15_touched() -> None:
    ids = {r.id for r in parse(TABLE.read_text(encoding="utf-8"))}
    touched = {"R-1.2.2", "R-2.1.2", "R-2.2.2", "R-2.2.4", "R-2.4.1", "R-5.4", "R-5.7", "R-6.3.8"}
    touched |= {"R-6.3.10", "R-7.2.1", "R-7.2.5", "R-7.2.8"}
    assert touched <= ids
    assert cited_ids(_sources().values()) >= {"R-2.2.2", "R-6.3.10", "R-7.2.1"}


# -- the checker on synthetic input -----------------------------------------------------------------

HEAD = (
    "Citation: 民诉解释 2022 numbering.\n\n"
    "| id | § | rule | article | code | test |\n|---|---|---|---|---|---|\n"
)
GOOD = (
    "| R-9.1 | 9 | r | a | `src/zhixing/cases/rules.py::case_number` | "
    "`tests/unit/test_rules_coverage.py::test_the_coverage_table_matches_the_code` |\n"
)


def test_checker_accepts_a_true_table() -> None:
    assert problems(HEAD + GOOD, {"a.py": "# rule: R-9.1"}, ROOT) == []


def test_checker_reports_an_uncited_id_a_missing_test_and_a_missing_symbol() -> None:
    bad = (
        "| R-9.2 | 9 | r | a | `src/zhixing/cases/rules.py::no_such_function` | "
        "`tests/unit/test_rules_coverage.py::test_no_such_test` |\n"
        "| R-9.3 | 9 | r | a | `src/zhixing/no_such_module.py` | `tests/no_such_file.py::test_x` |\n"
    )
    found = problems(HEAD + GOOD + bad, {"x.py": "# rule: R-9.1\n# rule: R-4.4"}, ROOT)
    assert found == [
        "R-4.4 is cited in x.py but has no row",
        "R-9.2: test tests/unit/test_rules_coverage.py::test_no_such_test does not exist",
        "R-9.2: no_such_function not found in src/zhixing/cases/rules.py",
        "R-9.3: test file tests/no_such_file.py does not exist",
        "R-9.3: code file src/zhixing/no_such_module.py does not exist",
    ]


def test_checker_reports_edition_duplicates_untested_rows_and_unknown_settings() -> None:
    table = (
        "| id |\n"
        + GOOD
        + GOOD
        + '| R-9.4 | 9 | r | a | configuration: `ZHIXING_NOWHERE["nothing"]` | no test |\n'
    )
    found = problems(table, {"a.py": "ZHIXING_CASES"}, ROOT)
    assert found == [
        "the citation edition (2022 numbering) must be stated exactly once, found 0",
        "duplicate row R-9.1",
        "R-9.4: names no test",
        "R-9.4: setting ZHIXING_NOWHERE['nothing'] is not read by the source",
    ]


def test_summary_checker_counts_each_kind_and_reports_a_stale_figure() -> None:
    table = (
        "| §2 | 3 | 1 | 1 | 1 | 0 |\n| total | 3 | 1 | 1 | 1 | 0 |\n\n"
        "## §2 Time limits\n\n"
        + HEAD.split("\n\n", 1)[1]
        + GOOD
        + '| R-9.5 | 9 | r | a | configuration: `ZHIXING_CASES["x"]` | t |\n\n'
        "### Deferred (§2)\n* one → issue 18.\n\n### Not implemented (§2)\n* missing one\n"
        "## Known gaps\n* not counted\n"
    )
    assert counts(table) == {
        "§2": {
            "rows": 2,
            "implemented": 1,
            "configuration": 1,
            "deferred": 1,
            "not_applicable": 0,
            "missing": 1,
        }
    }
    assert summary_problems(table) == [
        "§2: the summary states (3, 1, 1, 1, 0), the table has (2, 1, 1, 1, 0)",
        "total: the summary states (3, 1, 1, 1, 0), the table has (2, 1, 1, 1, 0)",
        "§2: 1 rule(s) still listed as not implemented",
    ]
