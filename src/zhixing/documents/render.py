"""Word rendering of a template version: docxtpl's own path, and a compiled path for batches.

Both use one Jinja environment: autoescape on (a party named "A&B" must not break the XML) and strict
undefined (a placeholder the context lacks is an error naming the field, never an empty gap in a court
document). `render_docx` is docxtpl's render as documented (parse the package, patch, render, save);
`Compiled` does docxtpl's patching once per template version and then only renders the body XML and
writes the package: the same document, several times faster, for `services.generate_many`.
"""

from __future__ import annotations

import hashlib
import io
import re
import struct
import zipfile
import zlib
from typing import Any

import jinja2
from docxtpl import DocxTemplate

BODY = "word/document.xml"
_TAG = re.compile(r"\{[{%]")


class TemplateProblem(ValueError):
    """A template that cannot render: not a .docx, bad Jinja, or a placeholder the kind does not fill."""


def environment() -> jinja2.Environment:
    return jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)


_ENV = environment()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _explain(exc: Exception) -> TemplateProblem:
    if isinstance(exc, jinja2.UndefinedError):
        name = re.search(r"'([^']+)' is undefined", str(exc))
        field = name.group(1) if name else str(exc)
        return TemplateProblem(f"模板使用了本文书没有的字段“{field}”")
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return TemplateProblem(f"模板占位符写法有误（第{exc.lineno}行附近）：{exc.message}")
    if isinstance(exc, (zipfile.BadZipFile, KeyError)):
        return TemplateProblem("不是有效的 Word（.docx）文件")
    return TemplateProblem(f"模板无法生成文书：{exc}")


def render_docx(template: bytes, context: dict[str, Any]) -> bytes:
    """docxtpl's documented path: one template file and one context in, one .docx out."""
    try:
        tpl = DocxTemplate(io.BytesIO(template))
        tpl.render(context, jinja_env=_ENV, autoescape=True)
        out = io.BytesIO()
        tpl.save(out)
    except Exception as exc:
        raise _explain(exc) from exc
    return out.getvalue()


class Compiled:
    """A template version patched and compiled once; `render(context)` writes a .docx."""

    def __init__(self, template: bytes) -> None:
        try:
            tpl = DocxTemplate(io.BytesIO(template))
            tpl.render_init()
            body = re.sub(r"<w:p([ >])", r"\n<w:p\1", tpl.patch_xml(tpl.get_xml()))
            self._body = _ENV.from_string(body)
            self._tpl = tpl
            with zipfile.ZipFile(io.BytesIO(template)) as z:
                raw = z.read(BODY).decode("utf-8")
                self._parts = [(i, z.read(i)) for i in z.infolist() if i.filename != BODY]
        except Exception as exc:
            raise _explain(exc) from exc
        start, end = raw.index("<w:body"), raw.index("</w:body>") + len("</w:body>")
        self._head, self._tail = raw[:start], raw[end:]
        # Headers, footers and properties are copied as they are: a template with tags there renders
        # through docxtpl instead (`plain`).
        self.plain = not any(
            _TAG.search(data.decode("utf-8", "ignore"))
            for info, data in self._parts
            if info.filename.endswith(".xml")
        )
        self._template = template
        self._package = Package([(i.filename, data) for i, data in self._parts], BODY)

    def render(self, context: dict[str, Any]) -> bytes:
        if not self.plain:
            return render_docx(self._template, context)
        try:
            xml = self._body.render(context)
        except Exception as exc:
            raise _explain(exc) from exc
        xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
        xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        xml = self._tpl.resolve_listing(xml)
        return self._package.write((self._head + xml + self._tail).encode("utf-8"))


class Package:
    """A .docx (zip) writer whose unchanging parts are deflated once: per document only the body is
    compressed. Plain PKZIP: local headers, then the central directory (APPNOTE 4.3; no data descriptors,
    no zip64 — a document is far below 4 GB)."""

    def __init__(self, parts: list[tuple[str, bytes]], body: str) -> None:
        self._static = [self._entry(name.encode("utf-8"), data) for name, data in parts]
        self._body = body.encode("utf-8")

    @staticmethod
    def _entry(name: bytes, data: bytes) -> tuple[bytes, bytes, int, int, int]:
        c = zlib.compressobj(6, zlib.DEFLATED, -15)
        packed = c.compress(data) + c.flush()
        return name, packed, zlib.crc32(data), len(packed), len(data)

    def write(self, body: bytes) -> bytes:
        entries = [*self._static, self._entry(self._body, body)]
        out, central, offset = [], [], 0
        stamp = (0, 0x21)  # 1980-01-01 00:00: fixed, so the same content gives the same bytes (and hash)
        for name, packed, crc, size, raw in entries:
            local = struct.pack(
                "<IHHHHHIIIHH", 0x04034B50, 20, 0x0800, 8, *stamp, crc, size, raw, len(name), 0
            )
            out += [local, name, packed]
            central.append(
                struct.pack(
                    "<IHHHHHHIIIHHHHHII",
                    0x02014B50,
                    20,
                    20,
                    0x0800,
                    8,
                    *stamp,
                    crc,
                    size,
                    raw,
                    len(name),
                    0,
                    0,
                    0,
                    0,
                    0,
                    offset,
                )
                + name
            )
            offset += len(local) + len(name) + size
        directory = b"".join(central)
        end = struct.pack(
            "<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(directory), offset, 0
        )
        return b"".join(out) + directory + end


_COMPILED: dict[str, Compiled] = {}


def compiled(version_sha: str, template: bytes) -> Compiled:
    """One compiled template per version, keyed by its hash (a version's file never changes)."""
    found = _COMPILED.get(version_sha)
    if found is None:
        if len(_COMPILED) >= 64:
            _COMPILED.clear()
        found = _COMPILED[version_sha] = Compiled(template)
    return found
