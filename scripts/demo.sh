#!/usr/bin/env bash
# Installs what is needed, builds the library, the checkout demo and the
# reference central server, plays a scripted morning at a till, then syncs a
# till with the server over TLS (examples/server/demo-sync.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build/release -j"$(nproc)" --target loyalty-demo loyalty-server
build/release/examples/loyalty-demo/loyalty-demo demo
sh examples/server/demo-sync.sh build/release/examples/loyalty-demo/loyalty-demo \
  build/release/examples/server/loyalty-server examples/programs
