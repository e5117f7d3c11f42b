"""What the outside probes know about the platform: its routes, the forms its pages render, bad inputs.

Routes come from the URLconf itself, so a new page or endpoint is probed without anyone listing it.
Each route parameter names the kind of object it addresses (`case_id` → case, `cases/<pk>` → case,
`<token>` → token); `fill` puts a world's id of that kind (or any other value) into it. Forms are
parsed from the HTML the pages render (`<form method="post">`, `hx-post`, `<form method="get">`), with
their fields' default values, select options and file inputs.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve

PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")
# Routes whose answer Chromium renders (seconds each): probes GET them with bad ids only.
SLOW: set[str] = set()
# Parameter names that do not spell their kind (`ext_id` is an extension, `code` a court code).
ALIASES = {"ext": "extension", "code": "court_code", "action": "credit_action"}


@dataclass(frozen=True)
class Route:
    """One URL pattern: `template` like `cases/<int:pk>/assign/`, its parameters as (name, kind)."""

    template: str
    name: str
    params: tuple[tuple[str, str], ...]

    @property
    def is_api(self) -> bool:
        return self.template.startswith("api/")

    def fill(self, values: dict[str, Any]) -> str:
        """The path with each parameter replaced by `values[name]`, else `values[kind]`."""
        kinds = dict(self.params)

        def value(m: re.Match[str]) -> str:
            name = m.group("name")
            return str(values[name] if name in values else values[kinds[name]])

        return "/" + PARAM.sub(value, self.template)


def kind_of(template: str, name: str) -> str:
    if name == "pk":
        before = template.split(f"<int:{name}>")[0].split(f"<{name}>")[0].rstrip("/").split("/")[-1]
        if before.startswith("<"):  # disclosure/<kind>/<pk>/…: the parameter before names the table
            return "row"
        return ALIASES.get(before, before.removesuffix("s"))
    base = name.removesuffix("_id")
    return ALIASES.get(base, base)


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        else:
            yield prefix + str(p.pattern), p


@functools.cache
def routes() -> tuple[Route, ...]:
    """Every route of the URLconf except the Django admin (probed by its own tests)."""
    out = []
    for template, pattern in _walk(get_resolver().url_patterns):
        if template.startswith("admin/") or template.startswith("^"):
            continue
        params = tuple(
            (m.group("name"), kind_of(template, m.group("name"))) for m in PARAM.finditer(template)
        )
        out.append(Route(template, pattern.name or "", params))
    return tuple(out)


def route_of(path: str) -> tuple[Route, dict[str, Any]] | None:
    """The route a site path belongs to, and the values its parameters have in it."""
    try:
        match = resolve(path.split("?")[0])
    except Resolver404:
        return None
    found = next((r for r in routes() if r.template == match.route), None)
    if found is None:
        return None
    return found, {n: match.kwargs[n] for n, _kind in found.params}


# -- forms ------------------------------------------------------------------------------------------


@dataclass
class Field:
    name: str
    type: str  # input type, "select", "textarea"
    value: str = ""
    options: list[str] = field(default_factory=list)
    multiple: bool = False
    placeholder: str = ""

    def plausible(self) -> str:
        """A value a user might type into this empty field, so that the fields after it get parsed."""
        if self.placeholder:
            return self.placeholder
        name = self.name.lower()
        if self.type == "date" or name.endswith(("_on", "date", "start", "end", "until")) or name == "on":
            return "2026-03-10"
        if self.type == "number" or any(w in name for w in ("amount", "proceeds", "cost", "years", "months")):
            return "100.00" if self.type != "number" else "1"
        return "测试"


@dataclass
class Form:
    method: str
    action: str
    multipart: bool
    fields: list[Field] = field(default_factory=list)

    def baseline(self, filled: bool = False) -> dict[str, Any]:
        """What submitting the form unchanged sends (first option of each select, checked boxes, and
        a well-formed statement CSV in each file field); `filled`: empty text fields typed in too."""
        data: dict[str, Any] = {}
        for f in self.fields:
            if f.type in ("checkbox", "radio"):
                if f.value and f.name not in data:
                    data[f.name] = f.value
            elif f.type == "file":
                data[f.name] = SimpleUploadedFile("statement.csv", GOOD_FILE)
            elif f.type == "select":
                data[f.name] = f.value or next((o for o in f.options if o), "")
            else:
                data.setdefault(f.name, f.value or (f.plausible() if filled and f.type != "hidden" else ""))
        return data

    @property
    def file_fields(self) -> list[str]:
        return [f.name for f in self.fields if f.type == "file"]

    def key(self) -> tuple[str, tuple[str, ...]]:
        return self.action, tuple(sorted({f.name for f in self.fields}))


class _FormParser(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[Form] = []
        self.current: Form | None = None
        self.select: Field | None = None
        self.textarea: Field | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and "?" in a.get("href", ""):  # a link with a query string is a GET form too
            parts = urlsplit(a["href"])
            fields = [Field(k, "text", v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
            self.forms.append(Form("get", parts.path or self.page, False, fields))
        elif tag == "form":
            method = "post" if "hx-post" in a else (a.get("method") or "get").lower()
            action = a.get("hx-post") or a.get("action") or self.page
            self.current = Form(method, action, "multipart" in a.get("enctype", ""))
            self.forms.append(self.current)
        elif self.current is None or "name" not in a:
            if tag == "option" and self.select is not None:
                self.select.options.append(a.get("value", ""))
                if "selected" in a:
                    self.select.value = a.get("value", "")
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "reset", "image"):
                return
            checked = "checked" in a or kind not in ("checkbox", "radio")
            value = a.get("value", "on" if kind == "checkbox" else "")
            self.current.fields.append(
                Field(a["name"], kind, value if checked else "", placeholder=a.get("placeholder", ""))
            )
        elif tag == "select":
            self.select = Field(a["name"], "select", multiple="multiple" in a)
            self.current.fields.append(self.select)
        elif tag == "textarea":
            self.textarea = Field(a["name"], "textarea", placeholder=a.get("placeholder", ""))
            self.current.fields.append(self.textarea)

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.textarea.value += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def forms_of(page: str, html: str) -> list[Form]:
    """The forms of a rendered page; actions as site paths (query strings dropped into the action)."""
    parser = _FormParser(page)
    parser.feed(html)
    for f in parser.forms:
        parts = urlsplit(f.action)
        f.action = parts.path + (f"?{parts.query}" if parts.query else "")
    return parser.forms


# -- bad input --------------------------------------------------------------------------------------

HUGE = "执" * 60_000
BAD_VALUES = [
    "",
    "abc",
    "-1",
    "0",
    "1.5",
    "99999999999999999999",
    "1e309",
    "NaN",
    "-Infinity",
    "²",  # str.isdigit() is true, int() refuses it
    "2026-02-30",
    "0001-01-01",  # a real day whose local midnight is before datetime.min in UTC
    "\x00",
    "a\x00b",
    '{"a":',
    "[1,2",
    '[{"creditor": "\\u0000", "amount": "1", "date": "\\ud800"}]',
    '{"date": "\\u0000"}',
    "1",
    "１２３",
    HUGE,
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "\u202e\ufeff",
    "\n".join(f"（2026）粤0106执{i}号" for i in range(5000)),
]
# Ids that name no object: absent, past 64 bits, not a number.
BAD_IDS = ["999999", str(2**63), "99999999999999999999999", "abc", "-1", "1.0", "\x00"]

GOOD_FILE = (
    "交易流水号,交易日期,金额,时间,对方,摘要\nR1,2026-03-09,10.00,2026-03-09 10:00:00,张三,转账\n".encode()
)
BAD_FILES: list[tuple[str, bytes]] = [
    ("empty.csv", b""),
    ("broken.xlsx", b"PK\x03\x04" + b"\x00garbage" * 64),
    ("broken.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\xff" * 512),
    ("latin.csv", "日期,金额\n2026-01-01,1\n".encode("gb18030") + b"\xff\xfe\x00\x81"),
    ("nul.csv", b"\xe4\xba\xa4\xe6\x98\x93\x00,\x00\n\x00,\x00\n"),
    ("wrong.csv", b"a,b,c\n1,2\n,,,,,,\n"),
    ("bad.json", b'{"rows": [1, 2'),
    ("long.csv", b"x" * 300_000),
]
