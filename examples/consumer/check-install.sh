#!/bin/sh
# Does `cmake --install` ship a libloyalty a POS project can build against?
# Installs the build folder into a scratch prefix, then builds and runs this
# consumer twice: through find_package(loyalty) (CMAKE_PREFIX_PATH) and
# through loyalty.pc (PKG_CONFIG_PATH). Passes only if both print the
# expected balance.
#
#   check-install.sh BUILD_DIR PROGRAM_JSON [SCRATCH_DIR]
set -eu

build_dir=$1
program=$2
scratch=${3:-$(mktemp -d "${TMPDIR:-/tmp}/loyalty-install-XXXXXX")}
here=$(cd "$(dirname "$0")" && pwd)
expected="balance: 16 points"  # 12.40 + 3.99 EUR at 1 point per 1.00, rounded down

fail() {
  echo "FAIL: $*" >&2
  echo "(scratch folder kept: $scratch)" >&2
  exit 1
}

# fail_with_log LOG MESSAGE: the end of the log says more than its name.
fail_with_log() {
  tail -n 20 "$1" >&2
  fail "$2, see $1"
}

rm -rf "$scratch"
mkdir -p "$scratch"
prefix=$scratch/prefix

echo "== cmake --install $build_dir --prefix $prefix"
cmake --install "$build_dir" --prefix "$prefix" >"$scratch/install.log" 2>&1 ||
  fail_with_log "$scratch/install.log" "cmake --install failed (is the whole build folder built?)"
[ -n "$(find "$prefix" -name 'libloyalty.a' -print)" ] || fail "no libloyalty.a installed"

run_consumer() {
  how=$1
  exe=$2
  rm -f "$scratch/$how.db"*
  out=$("$exe" "$program" "$scratch/$how.db") || fail "$how: the consumer exited with $?: $out"
  echo "$out"
  [ "$out" = "$expected" ] || fail "$how: printed '$out', expected '$expected'"
}

echo "== find_package(loyalty) with CMAKE_PREFIX_PATH=$prefix"
# No package registry: only what was installed under the prefix may be found.
cmake -S "$here" -B "$scratch/cmake-build" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF \
  >"$scratch/cmake-configure.log" 2>&1 ||
  fail_with_log "$scratch/cmake-configure.log" "configuring the consumer failed"
found=$(sed -n 's/^loyalty_DIR:PATH=//p' "$scratch/cmake-build/CMakeCache.txt")
case "$found" in
  "$prefix"/*) ;;
  *) fail "find_package(loyalty) found $found, not the package installed under $prefix" ;;
esac
cmake --build "$scratch/cmake-build" >"$scratch/cmake-build.log" 2>&1 ||
  fail_with_log "$scratch/cmake-build.log" "building the consumer failed"
run_consumer cmake "$scratch/cmake-build/consumer"

echo "== pkg-config loyalty with PKG_CONFIG_PATH"
pc=$(find "$prefix" -name loyalty.pc -print | head -n 1)
[ -n "$pc" ] || fail "no loyalty.pc installed"
PKG_CONFIG_PATH=$(dirname "$pc")
export PKG_CONFIG_PATH
# A .pc that names another prefix would build against whatever libloyalty
# happens to be there (or nothing): it must lead to the files installed here.
real_dir() { (cd "$1" 2>/dev/null && pwd -P) || echo "missing: $1"; }
pc_libdir=$(real_dir "$(pkg-config --variable=libdir loyalty)")
pc_includedir=$(real_dir "$(pkg-config --variable=includedir loyalty)")
lib=$(find "$prefix" -name 'libloyalty.a' -print | head -n 1)
header=$(find "$prefix" -path '*/loyalty/loyalty.hpp' -print | head -n 1)
[ "$pc_libdir" = "$(real_dir "$(dirname "$lib")")" ] ||
  fail "loyalty.pc: libdir leads to $pc_libdir, libloyalty.a is in $(dirname "$lib")"
[ "$pc_includedir" = "$(real_dir "$(dirname "$(dirname "$header")")")" ] ||
  fail "loyalty.pc: includedir leads to $pc_includedir, the headers are in $(dirname "$header")"
mkdir -p "$scratch/pc-build"
make -f "$here/Makefile" SRC_DIR="$here/" BUILD="$scratch/pc-build" \
  >"$scratch/pc-build.log" 2>&1 ||
  fail_with_log "$scratch/pc-build.log" "building the consumer through pkg-config failed"
run_consumer pkg-config "$scratch/pc-build/consumer"

rm -rf "$scratch"
echo "PASS: installed libloyalty builds and runs through CMake and pkg-config"
