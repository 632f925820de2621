#!/usr/bin/env bash
# ctest: `cpack -G DEB` builds the package; unpacked into a scratch root it
# holds the libraries, headers, CMake package and pkg-config files, and
# examples/c builds and runs against it: statically (libloyalty.a) and
# through pkg-config loyalty-c (libloyalty.so). examples/consumer (CMake
# find_package) too when it exists.
#   package_test.sh <build-dir> <source-dir> <c-compiler>
set -euo pipefail
build=$1 source=$2 cc=$3
scratch=$(mktemp -d "${TMPDIR:-/tmp}/loyalty-package.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

cpack --config "$build/CPackConfig.cmake" -G DEB -B "$scratch/out" >"$scratch/cpack.log" 2>&1 || {
  cat "$scratch/cpack.log"; exit 1; }
deb=$(ls "$scratch"/out/*.deb)
echo "built $(basename "$deb")"
dpkg-deb --info "$deb" | grep -E "Package|Version|Depends"
root=$scratch/root
dpkg-deb -x "$deb" "$root"

lib=$(dirname "$(find "$root/usr" -name libloyalty.a)")
for f in "$root/usr/include/loyalty/loyalty.h" "$root/usr/include/loyalty/terminal.hpp" \
         "$root/usr/include/loyalty/version.hpp" "$lib/libloyalty.a" "$lib/libloyalty.so" "$lib/libloyalty_readers.so.0" \
         "$lib/cmake/loyalty/loyaltyConfig.cmake" "$lib/pkgconfig/loyalty.pc" \
         "$lib/pkgconfig/loyalty-c.pc"; do
  [[ -e $f ]] || { echo "missing from the package: ${f#$root}"; exit 1; }
done

work=$scratch/work
mkdir -p "$work"
warn=(-std=c99 -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Werror)
# The C till, static: the archive and what it needs.
"$cc" "${warn[@]}" -I"$root/usr/include" "$source/examples/c/till.c" "$lib/libloyalty.a" \
  -lsqlite3 -lcrypto -ldate-tz -lstdc++ -lm -lpthread -o "$work/till-static"
"$work/till-static" "$work" >"$work/static.log" || { cat "$work/static.log"; exit 1; }
echo "examples/c against libloyalty.a: ok"

# The C till, shared, found through pkg-config.
export PKG_CONFIG_PATH=$lib/pkgconfig
# shellcheck disable=SC2046
"$cc" "${warn[@]}" "$source/examples/c/till.c" $(pkg-config --cflags --libs loyalty-c) \
  -o "$work/till-shared"
LD_LIBRARY_PATH=$lib "$work/till-shared" "$work" >"$work/shared.log" || {
  cat "$work/shared.log"; exit 1; }
# Captured first: `ldd | grep -q` under pipefail fails when grep stops
# reading before ldd is done writing (SIGPIPE), which made this test flaky.
loaded=$(LD_LIBRARY_PATH=$lib ldd "$work/till-shared")
grep -q "$lib/libloyalty.so" <<<"$loaded" || {
  echo "till-shared did not load the packaged libloyalty.so"; echo "$loaded"; exit 1; }
echo "examples/c against libloyalty.so via pkg-config loyalty-c: ok"

if [[ -f $source/examples/consumer/CMakeLists.txt ]]; then
  cmake -S "$source/examples/consumer" -B "$work/consumer" -DCMAKE_PREFIX_PATH="$root/usr" \
    >"$work/consumer.log" 2>&1 && cmake --build "$work/consumer" >>"$work/consumer.log" 2>&1 || {
    cat "$work/consumer.log"; exit 1; }
  echo "examples/consumer (find_package) against the package: ok"
fi
