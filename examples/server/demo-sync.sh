#!/bin/sh
# A till syncing with the reference central server over TLS, as a chain's
# operator would set it up: a private CA and the server's certificate made
# with the openssl CLI, the server's receipt key and the chain's program
# key, the till registered with its terminal key. Then: the till's sales
# reach the server, a card blocked at the server is refused at the till, a
# second till with its own terminal key and the chain's card key recognises
# the card enrolled at the first, a gift-card load keyed wrong at one till
# is taken back after it synced and the other till sees the right balance,
# a signed program version goes in force at the till.
#
#   demo-sync.sh LOYALTY_DEMO LOYALTY_SERVER PROGRAMS_DIR
set -eu

# Absolute before the cd below: the caller may have passed paths relative
# to its own folder.
absolute() {
  [ -e "$1" ] || { echo "demo-sync.sh: $1 does not exist" >&2; exit 2; }
  (cd "$(dirname "$1")" && printf '%s/%s\n' "$(pwd)" "$(basename "$1")")
}
[ $# -eq 3 ] || { echo "usage: demo-sync.sh LOYALTY_DEMO LOYALTY_SERVER PROGRAMS_DIR" >&2; exit 2; }
demo=$(absolute "$1")
server=$(absolute "$2")
programs=$(absolute "$3")
work=$(mktemp -d "${TMPDIR:-/tmp}/loyalty-sync-demo-XXXXXX")
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work"

fail() {
  echo "FAIL: $*" >&2
  exit 1
}
step() { printf '\n== %s\n' "$*"; }

# till PATTERN ARGS...: a loyalty-demo command that must succeed and print PATTERN.
till() {
  pattern=$1
  shift
  "$demo" --program "$programs/supermarket.json" --card-key-file chain-card.key "$@" \
    >out.txt 2>err.txt ||
    fail "'$*' exited with $?: $(cat out.txt err.txt)"
  cat out.txt
  grep -q -- "$pattern" out.txt || fail "'$*' did not print: $pattern"
}

step "the chain's keys and certificates"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
  -subj "/CN=Demo Chain CA" -addext basicConstraints=critical,CA:TRUE \
  -keyout ca.key -out ca.pem 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=127.0.0.1" \
  -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" -keyout server.key -out server.csr 2>/dev/null
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
  -copy_extensions copyall -days 1 -out server.pem 2>/dev/null
chmod 600 server.key ca.key
"$server" keygen --private receipt.key --public receipt.pub
"$server" keygen --private program.key --public program.pub
# The card key is the chain's, the same at every till: card numbers are
# stored and sent to the server only as an HMAC under it.
"$demo" keygen chain-card.key

step "the central server"
"$server" serve --db central.db --cert server.pem --key server.key --receipt-key receipt.key \
  --port 0 --port-file port >server.log 2>&1 &
pid=$!
tries=0
while [ ! -s port ]; do
  tries=$((tries + 1))
  [ "$tries" -lt 100 ] || fail "the server did not start: $(cat server.log)"
  sleep 0.1
done
url="https://127.0.0.1:$(cat port)"
echo "listening on $url"

step "a morning at till-1, offline"
till "Enrolled" enroll "9900 1234 5678 9017" --name "Anna Weber" --op-id E-1
till "earned" earn 9900123456789017 12.40 3.99 --receipt R-1
till "earned" earn 9900123456789017 25.00 --receipt R-2

step "till-1 registered at the server, and synced"
"$server" add-terminal --db central.db --id till-1 --key-file loyalty.db.key
sync_args="--server $url --ca ca.pem --receipt-key receipt.pub --program-key program.pub"
# shellcheck disable=SC2086
till "still to send:            0" sync $sync_args
account=$("$demo" --program "$programs/supermarket.json" --card-key-file chain-card.key \
  lookup 9900123456789017 |
  sed -n 's/.*account \([0-9A-F]*\).*/\1/p')
"$server" balance --db central.db --account "$account" | tee balance.txt
grep -q "Anna Weber" balance.txt || fail "the server does not know the account"

step "the card is reported lost at head office"
"$server" block-card --db central.db --card 9900123456789017 --card-key-file chain-card.key \
  --state lost
# shellcheck disable=SC2086
till "still to send:            0" sync $sync_args
till "CARD BLOCKED" lookup 9900123456789017
if "$demo" --program "$programs/supermarket.json" --card-key-file chain-card.key \
  earn 9900123456789017 5.00 --receipt R-3 >out.txt 2>err.txt; then
  fail "a lost card earned points"
fi
grep -q "card_blocked" err.txt || fail "no card_blocked: $(cat err.txt)"
cat err.txt

step "till-2 at another store: its own terminal key, the chain's card key"
"$demo" keygen till-2.db.key
"$server" add-terminal --db central.db --id till-2 --key-file till-2.db.key
# shellcheck disable=SC2086
till "still to send:            0" --db till-2.db --terminal-id till-2 sync $sync_args
till "Anna Weber  card \*\{12\}9017" --db till-2.db --terminal-id till-2 lookup 9900123456789017
grep -q "CARD BLOCKED" out.txt || fail "till-2 does not know the card was reported lost"
echo "(a till with a card key of its own could not recognise the card:)"
"$demo" keygen till-3.db.key
"$server" add-terminal --db central.db --id till-3 --key-file till-3.db.key
# shellcheck disable=SC2086
"$demo" --program "$programs/supermarket.json" --db till-3.db --terminal-id till-3 \
  sync $sync_args >out.txt 2>err.txt || fail "till-3 sync: $(cat out.txt err.txt)"
if "$demo" --program "$programs/supermarket.json" --db till-3.db --terminal-id till-3 \
  lookup 9900123456789017 >out.txt 2>err.txt; then
  fail "till-3 recognised a card without the chain's card key"
fi
grep -q "unknown_card" err.txt || fail "till-3: $(cat err.txt)"
cat err.txt

step "a gift card loaded with 500.00 instead of 50.00 at till-1, corrected after it synced"
till "now holds 500.00" gift load 9900000000000010 500.00 --op-id G-1
# shellcheck disable=SC2086
till "still to send:            0" sync $sync_args
# shellcheck disable=SC2086
till "still to send:            0" --db till-2.db --terminal-id till-2 sync $sync_args
till "holds 500.00" --db till-2.db --terminal-id till-2 gift balance 9900000000000010
till "Took back 450.00" gift void G-1 --amount 450.00 --operator lead --reason "keyed 500 for 50"
# shellcheck disable=SC2086
till "still to send:            0" sync $sync_args
# shellcheck disable=SC2086
till "still to send:            0" --db till-2.db --terminal-id till-2 sync $sync_args
till "holds 50.00" --db till-2.db --terminal-id till-2 gift balance 9900000000000010

step "setup mistakes name the option to fix, with exit code 6 (setup)"
# expect_failure CODE STATUS PATTERN ARGS...: a loyalty-demo command that must
# fail with exit code CODE, naming STATUS and PATTERN on stderr.
expect_failure() {
  want=$1 status=$2 pattern=$3
  shift 3
  code=0
  "$demo" --program "$programs/supermarket.json" --card-key-file chain-card.key "$@" \
    >out.txt 2>err.txt || code=$?
  [ "$code" -eq "$want" ] || fail "'$*' exited with $code, want $want: $(cat out.txt err.txt)"
  grep -q "error: $status: .*$pattern" err.txt || fail "'$*' did not say $status, $pattern: $(cat err.txt)"
  cat err.txt
}
"$demo" keygen till-4.db.key
"$demo" --program "$programs/supermarket.json" --card-key-file chain-card.key --db till-4.db \
  --terminal-id till-4 enroll 9900000000000028 --name "Dora" --op-id E-4 >/dev/null
# shellcheck disable=SC2086
expect_failure 6 unknown_terminal "loyalty-server add-terminal" \
  --db till-4.db --terminal-id till-4 sync $sync_args
"$server" add-terminal --db central.db --id till-4 --key-file till-4.db.key
# The program key where the receipt key belongs.
expect_failure 6 key_mismatch "receipt_public_key_pem" --db till-4.db --terminal-id till-4 \
  sync --server "$url" --ca ca.pem --receipt-key program.pub
# shellcheck disable=SC2086
till "still to send:            0" --db till-4.db --terminal-id till-4 sync $sync_args

step "a new program version, signed with the chain's program key"
sed 's/"version": *[0-9]*/"version": 99/' "$programs/supermarket.json" >new-program.json
"$server" add-program --db central.db --file new-program.json --signing-key program.key
# shellcheck disable=SC2086
till "program from the server:  version 99" sync $sync_args

step "a till that pins the program key loads only signed program files"
cp "$programs/supermarket.json" pinned.json
"$server" sign-program --file pinned.json --signing-key program.key
pinned() { "$demo" --db pinned.db --program pinned.json --program-key program.pub "$@"; }
pinned enroll 9900000000000002 --name "Ben" --op-id P-1 >out.txt 2>err.txt ||
  fail "a signed program was refused: $(cat out.txt err.txt)"
echo "signed pinned.json: loaded"
sed 's/"points": *1,/"points": 100,/' "$programs/supermarket.json" >pinned.json
if pinned lookup 9900000000000002 >out.txt 2>err.txt; then
  fail "an edited program file was loaded"
fi
grep -q "tampered" err.txt || fail "no tampered error: $(cat err.txt)"
cat err.txt
echo
echo "sync demo OK"
