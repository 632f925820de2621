#!/usr/bin/env python3
"""clang-tidy over src/ and drivers/, skipping files it found clean before.

    scripts/tidy.py BUILD_FOLDER

A file is skipped when the same clang-tidy, the same .clang-tidy and the same
preprocessed text (with comments, so NOLINT counts) were found clean before,
in this clone or another one on the machine: CI runs clang-tidy over every
file of a fresh clone, and most runs change a few. Only clean verdicts are
kept; a file with a warning is checked again every time.

The cache is $LOYALTY_TIDY_CACHE, else $XDG_CACHE_HOME/loyalty-tidy, else
~/.cache/loyalty-tidy. Exit status 1 when any file has a warning or error.
"""

import concurrent.futures
import hashlib
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

TIDY = "clang-tidy-14"


def cache_folder() -> Path:
    if os.environ.get("LOYALTY_TIDY_CACHE"):
        return Path(os.environ["LOYALTY_TIDY_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return Path(base) / "loyalty-tidy"


def preprocess_command(entry: dict, root: Path) -> list:
    args = entry["arguments"] if "arguments" in entry else shlex.split(entry["command"])
    out, skip = [], False
    for arg in args:
        if skip:
            skip = False
            continue
        if arg == "-o":
            skip = True
            continue
        if arg == "-c":
            continue
        out.append(arg)
    # -P: no line markers, which name the clone's folder, nor __FILE__ (the
    # prefix map); -C: keep comments.
    return out + [f"-fmacro-prefix-map={root}/=", "-E", "-P", "-C", "-o", "-"]


def key_of(entry: dict, root: Path, salt: bytes) -> str:
    text = subprocess.run(preprocess_command(entry, root), cwd=entry["directory"],
                          check=True, capture_output=True).stdout
    return hashlib.sha256(salt + text).hexdigest()


def tidy(build: str, file: str) -> tuple:
    run = subprocess.run([TIDY, "-quiet", "-p", build, file],
                         capture_output=True, text=True)
    out = run.stdout + run.stderr
    clean = run.returncode == 0 and "warning: " not in out and "error: " not in out
    return clean, out


def main() -> int:
    build = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build/tidy")
    root = Path(__file__).resolve().parent.parent
    with open(os.path.join(build, "compile_commands.json"), encoding="utf-8") as f:
        entries = [e for e in json.load(f)
                   if Path(e["file"]).resolve().is_relative_to(root / "src")
                   or Path(e["file"]).resolve().is_relative_to(root / "drivers")]
    version = subprocess.run([TIDY, "--version"], check=True, capture_output=True).stdout
    salt = version + (root / ".clang-tidy").read_bytes()
    cache = cache_folder()
    cache.mkdir(parents=True, exist_ok=True)
    jobs = int(os.environ.get("TIDY_JOBS") or os.cpu_count() or 1)

    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        keys = list(pool.map(lambda e: key_of(e, root, salt), entries))
        todo = [(e["file"], k) for e, k in zip(entries, keys) if not (cache / k).exists()]
        print(f"clang-tidy: {len(entries)} files of src/ and drivers/, "
              f"{len(entries) - len(todo)} unchanged since a clean check, {len(todo)} to check",
              flush=True)
        failed = 0
        for (file, key), (clean, out) in zip(todo, pool.map(lambda t: tidy(build, t[0]), todo)):
            if clean:
                (cache / key).touch()
            else:
                failed += 1
                sys.stdout.write(out)
    print(f"clang-tidy: {failed} file(s) with findings" if failed else "clang-tidy: clean")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
