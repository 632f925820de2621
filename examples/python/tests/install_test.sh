#!/bin/sh
# ctest: the Python package installed as a POS vendor would install it,
# (1) `pip install examples/python` from the checkout into a venv, with
# libloyalty.so named by LOYALTY_LIBRARY, and (2) the wheel build-wheel.sh
# makes (library and header inside) into another venv with nothing set.
# Each runs a sale outside the checkout. No network: Debian's setuptools
# and wheel through --system-site-packages, no build isolation.
#   install_test.sh PYTHON BUILD_DIR
set -eu
python=$1
build=$(cd "$2" && pwd)
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

"$python" -m venv --system-site-packages "$work/from-checkout"
"$work/from-checkout/bin/python" -m pip install --quiet --no-deps --no-build-isolation \
  --no-index "$here"
LOYALTY_LIBRARY="$build/src/libloyalty.so" \
  "$work/from-checkout/bin/python" "$here/tests/installed_smoke.py" "$work/from-checkout"

wheel=$(PYTHON="$python" sh "$here/build-wheel.sh" "$build" "$work/dist")
case "$wheel" in *-py3-none-linux_*.whl) ;; *) echo "unexpected wheel name: $wheel" >&2; exit 1;; esac
"$python" -m venv --system-site-packages "$work/from-wheel"
"$work/from-wheel/bin/python" -m pip install --quiet --no-deps --no-index "$wheel"
env -u LOYALTY_LIBRARY -u LOYALTY_HEADER \
  "$work/from-wheel/bin/python" "$here/tests/installed_smoke.py" "$work/from-wheel"
echo "install_test: checkout and wheel installs both ran a sale"
