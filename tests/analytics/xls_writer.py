"""A minimal Excel 97-2003 (.xls) writer for test fixtures: one sheet of text, numbers and dates.

No maintained library writes .xls any more (xlwt is abandoned), so the tests build the file themselves:
a BIFF8 workbook stream (BOF, two XF records — General and the built-in date format 14 — BOUNDSHEET,
LABEL/NUMBER cells) inside an OLE2 compound document, the container real .xls exports use.
"""

from __future__ import annotations

import struct
from datetime import datetime
from typing import Any

SECTOR = 512
END, FREE, FATSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
EPOCH = datetime(1899, 12, 30)


def _rec(code: int, data: bytes) -> bytes:
    return struct.pack("<HH", code, len(data)) + data


def _bof(kind: int) -> bytes:
    return _rec(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 0x06))


def _xf(fmt: int) -> bytes:
    # font 0, format, cell XF (not style), alignment/borders/colours all default
    return _rec(0x00E0, struct.pack("<HHHBBBBIiH", 0, fmt, 0x0001, 0x20, 0, 0, 0, 0, 0, 0x20C0))


def _sheet(rows: list[list[Any]]) -> bytes:
    width = max((len(r) for r in rows), default=0)
    out = _bof(0x0010) + _rec(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, width, 0))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, datetime):
                serial = (value - EPOCH).total_seconds() / 86400
                out += _rec(0x0203, struct.pack("<HHHd", r, c, 1, serial))
            elif isinstance(value, int | float):
                out += _rec(0x0203, struct.pack("<HHHd", r, c, 0, float(value)))
            else:
                text = str(value).encode("utf-16-le")
                out += _rec(0x0204, struct.pack("<HHHHB", r, c, 0, len(str(value)), 1) + text)
    return out + _rec(0x000A, b"")


def _workbook(rows: list[list[Any]]) -> bytes:
    name = "流水".encode("utf-16-le")

    def globals_(sheet_at: int) -> bytes:
        boundsheet = _rec(0x0085, struct.pack("<IBBBB", sheet_at, 0, 0, 2, 1) + name)
        return _bof(0x0005) + _rec(0x0022, b"\x00\x00") + _xf(0) + _xf(14) + boundsheet + _rec(0x000A, b"")

    size = len(globals_(0))
    return globals_(size) + _sheet(rows)


def _entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
    raw = name.encode("utf-16-le") + b"\x00\x00" if name else b""
    return (
        raw.ljust(64, b"\x00")
        + struct.pack("<HBB", len(raw), kind, 1)
        + struct.pack("<III", NOSTREAM, NOSTREAM, child)
        + b"\x00" * 16
        + struct.pack("<I", 0)
        + b"\x00" * 16
        + struct.pack("<III", start, size, 0)
    )


def xls_bytes(rows: list[list[Any]]) -> bytes:
    """An .xls file whose first sheet holds these rows (str, int/float, datetime, None)."""
    stream = _workbook(rows)
    stream = stream.ljust(max(4096, -(-len(stream) // SECTOR) * SECTOR), b"\x00")  # no mini stream
    n = len(stream) // SECTOR
    if n + 2 > SECTOR // 4:
        raise ValueError("fixture too large for one FAT sector")
    fat = [FATSECT, END] + [i + 1 for i in range(2, n + 1)] + [END]
    fat += [FREE] * (SECTOR // 4 - len(fat))
    directory = (
        _entry("Root Entry", 5, 1, END, 0)
        + _entry("Workbook", 2, NOSTREAM, 2, len(stream))
        + _entry("", 0, NOSTREAM, 0, 0) * 2
    )
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, END, 0, END, 0)
        + struct.pack("<I", 0)
        + struct.pack("<I", FREE) * 108
    )
    assert len(header) == SECTOR
    return header + struct.pack(f"<{SECTOR // 4}I", *fat) + directory + stream
