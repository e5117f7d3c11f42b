"""Export a table a page renders, exactly as shown: `@exportable` views and `{% export_button %}`.

Most queues and statistics tables are small, computed in their view and rendered once; rather than
duplicate each view's query, `@exportable` renders the page as usual and, when `?export=xlsx` asks for
it, reads the table that follows the `{% export_button table="…" %}` link whose name `export_table`
gives (`HtmlTables`), and hands its rows to `exports.xlsx_response` (capped, audited, streamed).
Amount-looking cells (`1,234.50`) become numbers; identity numbers and 案号 stay text. A page that
refuses the user (403/404/redirect) is returned unchanged, so an export has the page's permission.
Put it under `login_required` (the decorators above it run first).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import wraps
from html.parser import HTMLParser
from typing import Any

from django.http import HttpRequest, HttpResponseBase

from .exports import wants_xlsx, xlsx_response

TABLE_PARAM = "export_table"
_AMOUNT = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d{1,4}$|^-?\d{1,3}(?:,\d{3})+$")
_INTEGER = re.compile(r"^-?[1-9]\d{0,8}$|^0$")
_SPACE = re.compile(r"\s+")
_SEPARATOR = re.compile(r"\s*；\s*")
_SKIP_TAGS = {"script", "style", "select", "button", "template"}
_CONTROL_TAGS = {"input", "select", "button", "form", "textarea"}
_BLOCK_TAGS = {"div", "p", "li", "small", "summary"}
_ACTION_HEADERS = {"", "操作"}


def cell_value(text: str) -> Any:
    """A shown cell as a spreadsheet value: amounts and small counts as numbers, the rest as text."""
    if _AMOUNT.match(text):
        return Decimal(text.replace(",", ""))
    if _INTEGER.match(text):
        return int(text)
    return text


@dataclass
class Table:
    title: str
    header: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    footer: list[list[Any]] = field(default_factory=list)


class HtmlTables(HTMLParser):
    """Finds the `<table>` after the export link named `name`, with the last heading before it."""

    def __init__(self, name: str) -> None:
        super().__init__(convert_charrefs=True)
        self.name = name
        self.heading = ""
        self._in_heading = False
        self._heading_text: list[str] = []
        self._armed = False
        self._depth = 0  # table nesting depth inside the captured table
        self._section = ""
        self._row: list[tuple[str, int, bool, bool]] | None = None
        self._cell: list[str] | None = None
        self._cell_span = 1
        self._cell_skip = False
        self._cell_controls = False  # the cell holds a form control (a pick box, an action form)
        self._cell_pick = False  # the cell holds a selection box (its column is the page's, not data)
        self._cell_plain = False  # the cell has text outside links (a link-only cell may be an action)
        self._link = 0
        self._actions: list[list[bool]] = []  # per data row: which values came from action-only cells
        self._skip = 0
        self.table: Table | None = None
        self.done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if self.done:
            return
        if tag in ("h1", "h2", "h3") and self._depth == 0:
            self._in_heading, self._heading_text = True, []
        if tag == "a" and a.get("data-export") == self.name and self._depth == 0:
            self._armed = True
            self.heading = a.get("data-title") or self.heading
            self._in_heading = False
            return
        if tag == "table":
            if self._depth:
                self._depth += 1
            elif self._armed:
                self._depth = 1
                self.table = Table(title=self.heading)
            return
        if not self._depth:
            return
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag in ("thead", "tbody", "tfoot") and self._depth == 1:
            self._section = tag
        elif tag == "tr" and self._depth == 1:
            self._row = []
        elif tag in ("td", "th") and self._row is not None and self._depth == 1:
            self._cell = []
            self._cell_span = int(a.get("colspan") or 1) if (a.get("colspan") or "1").isdigit() else 1
            self._cell_skip = "pick" in (a.get("class") or "").split()
            self._cell_controls = self._cell_plain = self._cell_pick = False
        elif self._cell is not None:
            if tag == "input" and a.get("type") in ("checkbox", "radio") and self._depth == 1:
                self._cell_pick = True
            self._inside_cell(tag)

    def _inside_cell(self, tag: str) -> None:
        """Separators between the values a cell stacks (nested rows, lines, blocks), and what it holds."""
        assert self._cell is not None
        if tag in _CONTROL_TAGS:
            self._cell_controls = True
        elif tag == "a":
            self._link += 1
        elif tag == "br" or tag in _BLOCK_TAGS:
            self._cell.append(" ")
        elif tag == "tr" and self._depth > 1 and "".join(self._cell).strip():
            self._cell.append("；")
        elif tag in ("td", "th") and self._depth > 1:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if self.done:
            return
        if tag in ("h1", "h2", "h3") and self._in_heading:
            self._in_heading = False
            self.heading = _SPACE.sub(" ", "".join(self._heading_text)).strip()
        if not self._depth:
            return
        if tag == "a" and self._link:
            self._link -= 1
        if tag in _SKIP_TAGS and self._skip:
            self._skip -= 1
        elif tag == "table":
            self._depth -= 1
            if self._depth == 0:
                self.done = True
        elif tag in ("td", "th") and self._cell is not None and self._row is not None and self._depth == 1:
            text = _SEPARATOR.sub("；", _SPACE.sub(" ", "".join(self._cell))).strip("； ")
            # a cell of only a selection box is not data; one of only links or forms is an action
            skip = self._cell_skip or (self._cell_pick and not text)
            action = self._cell_controls or not self._cell_plain
            self._row.append((text, self._cell_span, skip, action))
            self._cell = None
        elif tag == "tr" and self._row is not None and self._depth == 1:
            self._end_row(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._in_heading:
            self._heading_text.append(data)
        if self._cell is not None and not self._skip:
            self._cell.append(data)
            if data.strip() and not self._link:
                self._cell_plain = True

    def _end_row(self, row: list[tuple[str, int, bool, bool]]) -> None:
        assert self.table is not None
        cells = [c for c in row if not c[2]]
        if not cells:
            return
        if not self.table.header and self._section in ("thead", "") and not self.table.rows:
            self.table.header = _spread(cells, as_text=True)
            return
        width = len(self.table.header)
        if len(cells) == 1 and cells[0][1] >= 2 and width:
            return  # the "nothing here" row spanning the table
        values = _spread(cells, as_text=False)
        if self._section == "tfoot":
            self.table.footer.append(values)
            return
        self.table.rows.append(values)
        actions: list[bool] = []
        for c in cells:
            actions.extend([c[3]] * c[1])
        self._actions.append(actions)

    def finish(self) -> None:
        """Drop the action columns (an unnamed or 操作 column of links and forms only, or a column of forms
        with no value), and name every other column (an export's header is never empty)."""
        t = self.table
        if t is None or not t.header:
            return
        n = len(t.header)
        drop = set()
        for i in range(n):
            cells = [
                (r[i] if i < len(r) else "", a[i] if i < len(a) else True)
                for r, a in zip(t.rows, self._actions, strict=False)
            ]
            actions_only = all(act or value in ("", None) for value, act in cells)
            empty = all(value in ("", None) for value, _ in cells)
            if (t.header[i].strip() in _ACTION_HEADERS and actions_only) or (
                cells and empty and actions_only
            ):
                drop.add(i)
        keep = [i for i in range(n) if i not in drop]
        t.header = [t.header[i] or f"第{k + 1}列" for k, i in enumerate(keep)]
        if not drop:
            return
        t.rows = [[v for i, v in enumerate(r) if i not in drop] for r in t.rows]
        t.footer = [[v for i, v in enumerate(r) if i not in drop] for r in t.footer]


def _spread(cells: list[tuple[str, int, bool, bool]], *, as_text: bool) -> list[Any]:
    out: list[Any] = []
    for text, span, _skip, _action in cells:
        out.append(text if as_text else cell_value(text))
        out.extend([""] * (span - 1))
    return out


def find_table(html: str, name: str) -> Table | None:
    parser = HtmlTables(name)
    parser.feed(html)
    parser.close()
    parser.finish()
    return parser.table


def exportable(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """`?export=xlsx&export_table=<name>` answers the page's table `<name>` as .xlsx."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        if not wants_xlsx(request) or response.status_code != 200:
            return response
        html = response.get("Content-Type", "").startswith("text/html")
        if not html or getattr(response, "streaming", False):
            return response
        name = request.GET.get(TABLE_PARAM, "")
        table = find_table(response.content.decode(response.charset or "utf-8"), name) if name else None  # type: ignore[attr-defined]
        if table is None:
            return response
        page = request.resolver_match.view_name if request.resolver_match else "page"
        footer = table.footer[0] if len(table.footer) == 1 else None
        rows = table.rows + (table.footer if len(table.footer) > 1 else [])
        return xlsx_response(
            request,
            table=f"{page}.{name}",
            title=table.title or name,
            header=table.header,
            rows=rows,
            footer=footer,
        )

    return wrapped
