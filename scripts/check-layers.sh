#!/usr/bin/env bash
# Layers run one way (docs/architecture.md): a folder of src/ or drivers/
# may include only the folders listed for it below. Fails on any include
# that runs upward or sideways, naming the file and the line.
#
#   scripts/check-layers.sh [repository root]     (default: this script's ..)
#
# Run by ctest as the test `check_layers`.
set -euo pipefail
root=${1:-"$(cd "$(dirname "$0")/.." && pwd)"}
cd "$root"

# folder -> the folders its files may include ("loyalty" is include/loyalty/,
# the public API, which every layer may use). The order is the layering:
#   common <- trust <- engine <- ledger <- terminal <- sync <- capi
# trust is the signed-document envelope (base64, Ed25519, the program
# message), below terminal and sync and owned by neither.
declare -A may=(
  [common]="loyalty common"
  [trust]="loyalty common trust"
  [engine]="loyalty common engine"
  [ledger]="loyalty common engine ledger"
  [terminal]="loyalty common trust engine ledger terminal"
  [sync]="loyalty common trust engine ledger sync terminal/chain.hpp"
  [capi]="loyalty common capi"
  [magstripe]="loyalty common magstripe"
  [nfc]="loyalty common nfc"
  [pcsc]="loyalty common nfc pcsc"
  [sim]="loyalty common sim"
  [drivers]="loyalty common magstripe nfc pcsc sim"
)
# A folder named with a file ("terminal/chain.hpp") allows that one header
# only: the one the terminal publishes for sync. In drivers/, "common" is
# drivers/common/ (the readers' own helpers), not src/common/.

allowed() {  # allowed <from-folder> <included path>
  local from=$1 path=$2 entry
  for entry in ${may[$from]}; do
    if [[ $entry == */* ]]; then
      [[ $path == "$entry" ]] && return 0
    elif [[ $path == "$entry"/* ]]; then
      return 0
    fi
  done
  return 1
}

failures=0
checked=0
while IFS= read -r file; do
  top=${file%%/*}
  rest=${file#*/}
  # A file at the top of drivers/ (the factory of readers) is its own folder.
  if [[ $rest == */* ]]; then from=${rest%%/*}; else from=$top; fi
  if [[ -z ${may[$from]+set} ]]; then
    echo "$file: folder '$from' is not in scripts/check-layers.sh: say what it may include" >&2
    failures=$((failures + 1))
    continue
  fi
  checked=$((checked + 1))
  while IFS=: read -r line text; do
    path=${text#*\"}
    path=${path%%\"*}
    [[ $path == */* ]] || continue  # a header beside the file
    if ! allowed "$from" "$path"; then
      echo "$file:$line: $from may not include \"$path\" (it may include: ${may[$from]})" >&2
      failures=$((failures + 1))
    fi
  done < <(grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$file" || true)
done < <(find src drivers -type f \( -name '*.cpp' -o -name '*.hpp' -o -name '*.h' -o -name '*.c' \) | sort)

if ((checked == 0)); then
  echo "check-layers: no source file found under $root/src or $root/drivers" >&2
  exit 2
fi
if ((failures > 0)); then
  echo "check-layers: $failures include(s) against the layering in $checked files" >&2
  exit 1
fi
echo "check-layers: $checked files, every include runs downward"
