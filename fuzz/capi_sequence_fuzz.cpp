// Whole operation sequences over the C ABI, as a POS (or an attacker with
// ctypes) makes them: the input is decoded into calls (capi_calls.hpp) on a
// fresh ledger, and after every call the till must still hold together:
//   - no call crashes or answers LOYALTY_INTERNAL (a bug by definition);
//   - Verify() stays OK;
//   - a read, and a refused write, leave the ledger as it was (entries,
//     every pool card's account view, every pool gift card's money);
//   - an op id that succeeded, made again, replays the same answer and
//     writes nothing; rebuilding the balances or reopening changes nothing.
// The ledger is a real SQLite file on /dev/shm (tmpfs), synchronous=NORMAL
// through the public option: what SQLite does is the same, only the disk
// flushes are gone. Every input starts from the same new ledger: created
// once per process (schema and migrations), closed, and copied, since
// migrating from nothing was a third of the time of an input.
#include <fuzzer/FuzzedDataProvider.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "capi_calls.hpp"
#include "loyalty/loyalty.h"

namespace {

using loyalty::fuzzing::Answer;
using loyalty::fuzzing::Call;
using loyalty::fuzzing::Kind;

// Every feature the C ABI reaches: tiers, stamps, coupons (a campaign code
// and next-visit codes issued by a rule), points as a tender, a return
// window, expiry, reservations, the bonuses.
constexpr const char* kProgram = R"({"format": 1, "id": "fuzz", "version": 1,
  "name": "Fuzz Rewards", "currency": "EUR",
  "earn": {"points": 1, "per": "1.00"},
  "rules": [{"id": "big", "type": "visit", "points": 5, "min_basket": "20.00",
             "issue_coupon": "next-visit"}],
  "caps": {"per_receipt": 5000},
  "bonuses": {"signup": 10, "birthday": 20, "referral": {"new_member": 5, "referrer": 7},
              "events": {"review": 40}},
  "tiers": {"measure": "spend", "window_days": 365, "levels": [
    {"id": "bronze", "threshold": "0.00"},
    {"id": "gold", "threshold": "100.00", "multiplier": "1.5"}]},
  "rewards": [
    {"id": "five-off", "kind": "order_amount", "cost": 50, "amount": "5.00"},
    {"id": "free-bread", "kind": "free_product", "cost": 15, "products": ["BREAD"]},
    {"id": "free-coffee", "kind": "free_product", "stamp_card": "coffee",
     "products": ["COFFEE"]}],
  "stamp_cards": [{"id": "coffee", "products": ["COFFEE"], "count": "items", "needed": 3,
                   "reward": "free-coffee"}],
  "coupons": [
    {"id": "summer", "code": "SUMMER26", "kind": "order_percent", "percent": 10},
    {"id": "next-visit", "kind": "order_amount", "amount": "1.00"}],
  "exclusions": {"categories": ["tobacco"]},
  "tender": {"point_value": "0.01"},
  "points": {"pending_days": 1, "expiry_days": 30},
  "reservations": {"hold_minutes": 10}})";

constexpr const char* kKey = "0123456789abcdef0123456789abcdef-fuzz-key";
constexpr std::int64_t kStart = 1'767'261'600'000;  // 2026-01-01 10:00 UTC
constexpr int kMaxCalls = 40;

std::int64_t now_ms = kStart;
std::int64_t Now(void*) { return now_ms; }

[[noreturn]] void Fail(const char* what, const Call& call, const std::string& detail) {
  std::fprintf(stderr, "capi_sequence_fuzz: %s (call kind %d, op id '%s'): %s\n", what,
               static_cast<int>(call.kind), call.op_id ? call.op_id->c_str() : "<NULL>",
               detail.c_str());
  std::abort();
}

struct Files {
  std::string db;
  std::string new_ledger;  // a ledger as loyalty_open creates it, closed
  loyalty_options* options = nullptr;
};

loyalty_terminal* Open(const Files& files);
void RemoveLedger(const std::string& db);

const Files& Setup() {
  static const Files files = [] {
    const std::filesystem::path base =
        std::filesystem::exists("/dev/shm") ? "/dev/shm" : std::filesystem::temp_directory_path();
    const std::filesystem::path dir = base / ("loyalty-capi-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    // The folder goes when the fuzzer exits (a crash leaves it to look at).
    static std::filesystem::path made;
    made = dir;
    std::atexit([] { std::filesystem::remove_all(made); });
    const std::string program = (dir / "program.json").string();
    std::ofstream(program) << kProgram;
    Files f;
    f.db = (dir / "ledger.db").string();
    if (loyalty_options_new(&f.options) != LOYALTY_OK ||
        loyalty_options_set_database_path(f.options, f.db.c_str()) != LOYALTY_OK ||
        loyalty_options_set_terminal_id(f.options, "till-fuzz") != LOYALTY_OK ||
        loyalty_options_set_terminal_key(f.options, kKey, std::string(kKey).size()) !=
            LOYALTY_OK ||
        loyalty_options_set_program_path(f.options, program.c_str()) != LOYALTY_OK ||
        loyalty_options_set_synchronous_full(f.options, 0) != LOYALTY_OK ||
        loyalty_options_set_clock(f.options, Now, nullptr) != LOYALTY_OK) {
      std::fprintf(stderr, "capi_sequence_fuzz: options: %s\n", loyalty_last_error());
      std::abort();
    }
    RemoveLedger(f.db);
    loyalty_close(Open(f));
    f.new_ledger = (dir / "new-ledger.db").string();
    RemoveLedger(f.new_ledger);
    // Closing checkpointed the WAL into the file: the file is the ledger.
    for (const char* suffix : {"-wal", "-shm"}) {
      if (std::filesystem::exists(f.db + suffix)) std::abort();
    }
    std::filesystem::copy_file(f.db, f.new_ledger);
    return f;
  }();
  return files;
}

loyalty_terminal* Open(const Files& files) {
  loyalty_terminal* t = nullptr;
  if (loyalty_open(files.options, &t) != LOYALTY_OK) {
    std::fprintf(stderr, "capi_sequence_fuzz: open: %s\n", loyalty_last_error());
    std::abort();
  }
  return t;
}

// What a refused call must leave as it was.
struct Snapshot {
  std::int64_t entries = 0;
  std::vector<Answer> views;
  bool operator==(const Snapshot& o) const {
    if (entries != o.entries || views.size() != o.views.size()) return false;
    for (std::size_t i = 0; i < views.size(); ++i) {
      if (views[i].status != o.views[i].status || views[i].figures != o.views[i].figures ||
          views[i].texts != o.views[i].texts) {
        return false;
      }
    }
    return true;
  }
};

Snapshot Take(loyalty_terminal* t, const Call& after) {
  Snapshot s;
  loyalty_result* report = nullptr;
  if (loyalty_verify(t, nullptr, nullptr, &report) != LOYALTY_OK) {
    Fail("verify failed", after, loyalty_last_error());
  }
  std::int64_t ok = 0;
  const char* problem = "";
  (void)loyalty_result_int(report, LOYALTY_VERIFY_OK, &ok);
  (void)loyalty_result_int(report, LOYALTY_VERIFY_ENTRIES_CHECKED, &s.entries);
  (void)loyalty_result_string(report, LOYALTY_VERIFY_PROBLEM, &problem);
  if (ok != 1) Fail("verify is not OK", after, problem);
  loyalty_result_free(report);
  for (const char* card : {"LC-0001", "LC-0002", "LC-0003"}) {
    Call lookup;
    lookup.kind = Kind::kLookup;
    lookup.card = card;
    s.views.push_back(Run(t, lookup));
  }
  for (const char* gift : {"GC-1", "GC-2"}) {
    Call balance;
    balance.kind = Kind::kGiftCardBalance;
    balance.card = gift;
    s.views.push_back(Run(t, balance));
  }
  return s;
}

void CheckAnswer(const Call& call, const Answer& answer) {
  if (answer.status == LOYALTY_INTERNAL) Fail("LOYALTY_INTERNAL", call, answer.error);
  if (answer.status != LOYALTY_OK && answer.error.empty()) {
    Fail("an error without a message", call, loyalty_status_name(answer.status));
  }
}

void RemoveLedger(const std::string& db) {
  for (const char* suffix : {"", "-wal", "-shm", ".lock"}) {
    std::remove((db + suffix).c_str());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // CAPI_FUZZ_TRACE=1 prints each call and its answer: what an input does.
  static const bool trace = std::getenv("CAPI_FUZZ_TRACE") != nullptr;
  const Files& files = Setup();
  RemoveLedger(files.db);
  std::filesystem::copy_file(files.new_ledger, files.db);
  now_ms = kStart;
  loyalty_terminal* t = Open(files);
  FuzzedDataProvider in(data, size);
  std::vector<std::pair<Call, Answer>> done;  // writes that succeeded
  Call none;
  Snapshot before = Take(t, none);
  for (int n = 0; n < kMaxCalls && in.remaining_bytes() > 0; ++n) {
    const std::uint8_t control = in.ConsumeIntegral<std::uint8_t>();
    if (control < 12) {  // the clock moves (pending points mature, lots expire)
      constexpr std::int64_t kSteps[] = {1'000, 60'000, 3'600'000, 86'400'000,
                                         31 * 86'400'000LL, 400 * 86'400'000LL};
      now_ms += kSteps[control % 6];
      before = Take(t, none);
      continue;
    }
    if (control < 24 && !done.empty()) {  // a POS retries an op id that succeeded
      const auto& [call, first] = done[in.ConsumeIntegralInRange<std::size_t>(0, done.size() - 1)];
      const Answer again = Run(t, call);
      CheckAnswer(call, again);
      if (again.status != LOYALTY_OK) Fail("a retry was refused", call, again.error);
      if (call.kind != Kind::kAnonymousSale && call.kind != Kind::kExpire && !again.replayed) {
        Fail("a retry was not a replay", call, "");
      }
      if (again.figures != first.figures || again.texts != first.texts) {
        Fail("a retry answered otherwise", call, "");
      }
      if (!(Take(t, call) == before)) Fail("a retry wrote", call, "");
      continue;
    }
    if (control == 24) {  // balances are a cache the entries rebuild
      if (loyalty_rebuild_balances(t) != LOYALTY_OK) Fail("rebuild", none, loyalty_last_error());
      if (!(Take(t, none) == before)) Fail("rebuilding changed the accounts", none, "");
      continue;
    }
    if (control == 25) {  // the till restarts
      loyalty_close(t);
      t = Open(files);
      if (!(Take(t, none) == before)) Fail("reopening changed the accounts", none, "");
      continue;
    }
    const Call call = loyalty::fuzzing::DecodeCall(in);
    const Answer answer = Run(t, call);
    if (trace) {
      std::fprintf(stderr, "call %d op '%s': %s %s\n", static_cast<int>(call.kind),
                   call.op_id ? call.op_id->c_str() : "<NULL>", loyalty_status_name(answer.status),
                   answer.error.c_str());
    }
    CheckAnswer(call, answer);
    Snapshot after = Take(t, call);
    if (answer.status != LOYALTY_OK || !loyalty::fuzzing::IsWrite(call.kind)) {
      if (!(after == before)) {
        Fail(answer.status == LOYALTY_OK ? "a read wrote" : "a refused call wrote", call,
             loyalty_status_name(answer.status));
      }
    } else {
      done.emplace_back(call, answer);
    }
    before = std::move(after);
  }
  loyalty_close(t);
  return 0;
}
