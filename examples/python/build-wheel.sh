#!/bin/sh
# Builds the Python package as a wheel with libloyalty.so, its card readers
# (libloyalty_readers.so, when built) and loyalty.h inside, from a build
# folder of this checkout:
#   examples/python/build-wheel.sh build/release [out-dir]
# Needs python3-setuptools, python3-wheel and python3-pip (Debian); no
# network (no build isolation). Prints the wheel's path.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:?usage: build-wheel.sh BUILD_DIR [OUT_DIR]}" && pwd)
out=${2:-$build/python-dist}
python=${PYTHON:-python3}
library="$build/src/libloyalty.so"
[ -f "$library" ] || { echo "build-wheel.sh: $library not built (cmake --build $build --target loyalty_shared)" >&2; exit 1; }
mkdir -p "$out"
# A scratch copy: setuptools writes build/ and *.egg-info beside the sources.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -R "$here/pyproject.toml" "$here/setup.py" "$here/README.md" "$here/loyalty" "$work/"
rm -rf "$work/loyalty/__pycache__"
LOYALTY_HEADER="$here/../../include/loyalty/loyalty.h" \
LOYALTY_BUNDLE_LIBRARY=$(readlink -f "$library") \
LOYALTY_BUNDLE_READERS=$( [ -e "$build/src/libloyalty_readers.so.0" ] && readlink -f "$build/src/libloyalty_readers.so.0" || true) \
  "$python" -m pip wheel --quiet --no-deps --no-build-isolation --wheel-dir "$out" "$work" >&2
ls -t "$out"/libloyalty-*.whl | head -n 1
