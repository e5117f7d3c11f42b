"""The two ways reading a statement fails: the whole file, or one row (Chinese messages naming the column)."""

from __future__ import annotations


class FileError(ValueError):
    """The file as a whole cannot be read with this layout (format, encoding, missing header or column)."""


class RowError(ValueError):
    """One row is invalid; the message names the column and the reason."""


class FileRefused(FileError):
    """The file cannot be read under any layout (too many rows or columns, broken CSV quoting, bytes
    that are not the UTF-16 their byte-order mark says): refused at upload, not previewed."""
