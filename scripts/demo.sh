#!/usr/bin/env bash
# Installs what is needed, builds the library, the checkout demo and the
# reference central server, plays a scripted morning at a till, then syncs a
# till with the server over TLS (examples/server/demo-sync.sh).
# Works from any folder: every path below is absolute.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="$root/build/release"
bash "$root/scripts/install-deps.sh"
if command -v ccache >/dev/null; then
  export CMAKE_C_COMPILER_LAUNCHER=ccache CMAKE_CXX_COMPILER_LAUNCHER=ccache
  export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
fi
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build" -j"$(nproc)" --target loyalty-demo loyalty-server
demo="$build/examples/loyalty-demo/loyalty-demo"
"$demo" demo --keep
sh "$root/examples/server/demo-sync.sh" "$demo" "$build/examples/server/loyalty-server" \
  "$root/examples/programs"
