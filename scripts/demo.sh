#!/usr/bin/env bash
# Installs what is needed, builds the library and the checkout demo, and
# plays a scripted morning at a till.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build/release -j"$(nproc)" --target loyalty-demo
build/release/examples/loyalty-demo/loyalty-demo demo
