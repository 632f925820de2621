#!/usr/bin/env bash
# Installs every Debian package the build, the tests, the examples and the
# benchmarks need. Run as root (or with sudo available).
set -euo pipefail
packages=(
  build-essential cmake pkg-config git ca-certificates
  libsqlite3-dev sqlite3 libssl-dev openssl
  nlohmann-json3-dev libcli11-dev libhowardhinnant-date-dev tzdata
  libgtest-dev libgmock-dev libbenchmark-dev
  libnfc-dev libcurl4-openssl-dev
)
# Packages added by later layers go in scripts/packages.d/*.txt, one a line.
here=$(cd "$(dirname "$0")" && pwd)
if compgen -G "$here/packages.d/*.txt" >/dev/null; then
  while read -r p; do
    [[ -n "$p" && "$p" != \#* ]] && packages+=("$p")
  done < <(cat "$here"/packages.d/*.txt)
fi
as_root=()
if [[ $(id -u) -ne 0 ]]; then as_root=(sudo); fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  export DEBIAN_FRONTEND=noninteractive
  "${as_root[@]}" apt-get update -qq
  "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
