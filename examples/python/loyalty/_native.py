"""libloyalty.so through ctypes, every function declared from loyalty.h.

The signatures come from the header (see _header.py), never from a list
typed by hand: an int64 amount cannot be passed as an int, nor a handle
truncated, because the header says what each parameter is.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
from pathlib import Path
from typing import Any, Dict, List, Optional

from . import _header

_SCALARS: Dict[str, Any] = {
    "void": None,
    "int": ctypes.c_int,
    "int64_t": ctypes.c_int64,
    "size_t": ctypes.c_size_t,
    "loyalty_status": ctypes.c_int,
}
_POINTERS: Dict[str, Any] = {
    "char": ctypes.c_char_p,
    "void": ctypes.c_void_p,
    "uint8_t": ctypes.c_void_p,
    "int": ctypes.POINTER(ctypes.c_int),
    "int64_t": ctypes.POINTER(ctypes.c_int64),
    "size_t": ctypes.POINTER(ctypes.c_size_t),
}


def ctype_of(ctype: str, callbacks: Dict[str, Any]) -> Any:
    """The ctypes type for a normalised C type of loyalty.h."""
    base = ctype.replace("const ", "")
    stars = len(base) - len(base.rstrip("*"))
    base = base.rstrip("*").strip()
    if stars == 0:
        if base in _SCALARS:
            return _SCALARS[base]
        if base in callbacks:
            return callbacks[base]
    elif stars == 1:
        if base in _POINTERS:
            return _POINTERS[base]
        if base.startswith("loyalty_"):
            return ctypes.c_void_p  # an opaque handle
    elif stars == 2:
        if base == "char":
            return ctypes.POINTER(ctypes.c_char_p)
        if base.startswith("loyalty_"):
            return ctypes.POINTER(ctypes.c_void_p)  # a handle written back
    raise _header.HeaderError(f"loyalty.h: no ctypes type for '{ctype}'")


def library_candidates() -> List[str]:
    here = Path(__file__).resolve().parent
    paths: List[str] = []
    if os.environ.get("LOYALTY_LIBRARY"):
        paths.append(os.environ["LOYALTY_LIBRARY"])
    paths.append(str(here / "lib" / "libloyalty.so"))  # bundled in a wheel
    checkout = here.parents[2]
    paths.append(str(checkout / "build" / "release" / "src" / "libloyalty.so"))
    found = ctypes.util.find_library("loyalty")
    if found:
        paths.append(found)
    paths.append("libloyalty.so.0")
    return paths


class Native:
    """The loaded library: one attribute per loyalty_* function."""

    def __init__(self, library: Optional[str] = None, header: Optional[str] = None):
        self.header = _header.load(header)
        errors = []
        self.cdll = None
        for path in ([library] if library else library_candidates()):
            if os.sep in path and not os.path.exists(path):
                errors.append(f"{path}: absent")
                continue
            try:
                self.cdll = ctypes.CDLL(path)
                self.path = path
                break
            except OSError as e:
                errors.append(f"{path}: {e}")
        if self.cdll is None:
            raise OSError("libloyalty.so not found (set LOYALTY_LIBRARY): " + "; ".join(errors))
        self.callbacks: Dict[str, Any] = {}
        for name, proto in self.header.callbacks.items():
            restype = ctype_of(proto.returns, {})
            argtypes = [ctype_of(t, {}) for t, _ in proto.params]
            self.callbacks[name] = ctypes.CFUNCTYPE(restype, *argtypes)
        missing = []
        for name, proto in self.header.functions.items():
            try:
                fn = getattr(self.cdll, name)
            except AttributeError:
                missing.append(name)
                continue
            fn.restype = ctype_of(proto.returns, self.callbacks)
            fn.argtypes = [ctype_of(t, self.callbacks) for t, _ in proto.params]
            setattr(self, name, fn)
        if missing:
            raise _header.HeaderError(f"{self.path} lacks functions {self.header.path} declares: "
                                      + ", ".join(missing))
        linked = self.loyalty_version_number()
        major, minor, patch = self.header.version
        if linked != major * 10000 + minor * 100 + patch:
            raise _header.HeaderError(
                f"{self.path} is version {self.loyalty_version().decode()} but "
                f"{self.header.path} is {major}.{minor}.{patch}: use the header of the library")
