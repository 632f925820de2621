"""Reads include/loyalty/loyalty.h: the version, every enum (statuses,
result kinds, keys, entry kinds, card sources), the callback types and
every LOYALTY_EXPORT prototype.

The Python binding declares nothing by hand: its constants and its ctypes
signatures are what this parser finds in the header that ships with the
library, so a number or a parameter type cannot drift from the C ABI.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple


class HeaderError(Exception):
    """loyalty.h could not be found or holds something this parser does not know."""


@dataclass(frozen=True)
class Prototype:
    name: str
    returns: str  # normalised C type, e.g. "loyalty_status", "const char*"
    params: Tuple[Tuple[str, str], ...]  # (type, name)


@dataclass
class Header:
    path: str
    version: Tuple[int, int, int]
    # enum type name without "loyalty_" (status, result_kind, key, ...) ->
    # {"LOYALTY_OK": 0, ...} in the header's order.
    enums: Dict[str, Dict[str, int]] = field(default_factory=dict)
    functions: Dict[str, Prototype] = field(default_factory=dict)
    callbacks: Dict[str, Prototype] = field(default_factory=dict)


def _strip_comments(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", " ", text)


def _normalise(ctype: str) -> str:
    ctype = re.sub(r"\s*\*\s*", "*", ctype.strip())
    ctype = re.sub(r"\s+", " ", ctype)
    return ctype


def _param(text: str) -> Tuple[str, str]:
    text = text.strip()
    # An array parameter (uint8_t key[16]) is a pointer.
    array = re.search(r"\[\s*\d*\s*\]$", text)
    if array:
        text = text[: array.start()].strip()
    m = re.match(r"^(.*?[\s*])(\w+)$", text)
    if not m or not m.group(1).strip():
        raise HeaderError(f"loyalty.h: cannot read the parameter '{text}'")
    ctype = _normalise(m.group(1)) + ("*" if array else "")
    return ctype, m.group(2)


def _params(text: str) -> Tuple[Tuple[str, str], ...]:
    text = text.strip()
    if text in ("", "void"):
        return ()
    return tuple(_param(p) for p in text.split(","))


def parse(text: str, path: str = "loyalty.h") -> Header:
    version = []
    for part in ("MAJOR", "MINOR", "PATCH"):
        m = re.search(rf"#define\s+LOYALTY_VERSION_{part}\s+(\d+)", text)
        if not m:
            raise HeaderError(f"{path}: no LOYALTY_VERSION_{part}")
        version.append(int(m.group(1)))
    header = Header(path=path, version=(version[0], version[1], version[2]))
    code = _strip_comments(text)

    for m in re.finditer(r"typedef\s+enum\s+loyalty_(\w+)\s*\{(.*?)\}\s*loyalty_\w+\s*;", code,
                         flags=re.S):
        values: Dict[str, int] = {}
        for entry in m.group(2).split(","):
            entry = entry.strip()
            if not entry:
                continue
            em = re.fullmatch(r"(LOYALTY_\w+)\s*=\s*(-?\d+)", entry)
            if not em:
                raise HeaderError(f"{path}: enum loyalty_{m.group(1)}: cannot read '{entry}'")
            values[em.group(1)] = int(em.group(2))
        header.enums[m.group(1)] = values

    for m in re.finditer(r"typedef\s+([\w\s*]+?)\(\s*\*\s*(loyalty_\w+)\s*\)\s*\(([^)]*)\)\s*;",
                         code):
        header.callbacks[m.group(2)] = Prototype(m.group(2), _normalise(m.group(1)),
                                                 _params(m.group(3)))

    for m in re.finditer(r"LOYALTY_EXPORT\s+([\w\s*]+?)\b(loyalty_\w+)\s*\(([^)]*)\)\s*;", code):
        header.functions[m.group(2)] = Prototype(m.group(2), _normalise(m.group(1)),
                                                 _params(m.group(3)))
    for needed in ("status", "result_kind", "key"):
        if needed not in header.enums:
            raise HeaderError(f"{path}: no enum loyalty_{needed}")
    if not header.functions:
        raise HeaderError(f"{path}: no LOYALTY_EXPORT function")
    return header


def candidates() -> List[Path]:
    """Where loyalty.h is looked for, first match wins."""
    here = Path(__file__).resolve().parent
    paths: List[Path] = []
    if os.environ.get("LOYALTY_HEADER"):
        paths.append(Path(os.environ["LOYALTY_HEADER"]))
    paths.append(here / "include" / "loyalty.h")  # copied in by the package build
    paths.append(here.parents[2] / "include" / "loyalty" / "loyalty.h")  # a checkout
    for prefix in ("/usr/local/include", "/usr/include"):
        paths.append(Path(prefix) / "loyalty" / "loyalty.h")
    return paths


def load(path: Optional[str] = None) -> Header:
    tried = [Path(path)] if path else candidates()
    for p in tried:
        if p.is_file():
            return parse(p.read_text(encoding="utf-8"), str(p))
    raise HeaderError("loyalty.h not found (set LOYALTY_HEADER); looked at " +
                      ", ".join(str(p) for p in tried))
