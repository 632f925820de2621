// What a card read costs the till after the hardware is done: from the last
// byte of a swipe (pty, evdev FIFO) or the card's answer (the emulated
// PN532) to the account shown: WaitForCard() returns the CardRead and
// Terminal::Identify() turns it into the cashier's screen (tier, rewards,
// wallet) from a real ledger. Manual time: only that span is measured, not
// the writing or the tapping; the counter read_us is the part up to the
// CardRead.
//
// The NFC benchmarks need the PN532 emulator: tests/support on the include
// path and tests/support/pn532_emulator.cpp compiled in (bench/CMakeLists.txt);
// without it only the swipe benchmarks are built.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <linux/input.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "loyalty/reader.hpp"
#include "loyalty/terminal.hpp"
#if __has_include("pn532_emulator.hpp")
#include "pn532_emulator.hpp"
#define LOYALTY_BENCH_NFC 1
#endif

namespace {

using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

constexpr char kSwipe[] = "%B9900123456789017^MEMBER/GOLD^^^?;9900123456789017=?\r";

std::unique_ptr<loyalty::CardReader> MustOpen(const std::string& connection,
                                              benchmark::State& state) {
  auto reader = loyalty::OpenReader(connection);
  if (!reader.ok()) {
    state.SkipWithError(reader.status().ToString().c_str());
    return nullptr;
  }
  if (auto s = (*reader)->Start(); !s.ok()) {
    state.SkipWithError(s.ToString().c_str());
    return nullptr;
  }
  return std::move(reader).value();
}

// A till with the benchmark's cards enrolled, on a ledger in a scratch
// folder: the magstripe number, and the emulated tag's UID.
class Till {
 public:
  Till() {
    dir_ = (std::filesystem::temp_directory_path() / "loyalty-bench-till-XXXXXX").string();
    if (::mkdtemp(dir_.data()) == nullptr) return;
    const std::string program = dir_ + "/program.json";
    std::FILE* f = std::fopen(program.c_str(), "w");
    if (f == nullptr) return;
    std::fputs(R"({"format": 1, "id": "bench", "version": 1, "currency": "EUR",
      "earn": {"points": 1, "per": "1.00"}, "cards": {"allow_payment_cards": true}})",
               f);
    std::fclose(f);
    loyalty::Options options;
    options.database_path = dir_ + "/ledger.db";
    options.terminal_id = "bench-till";
    options.terminal_key = std::string(32, 'k');
    options.program_path = program;
    auto opened = loyalty::Terminal::Open(options);
    if (!opened.ok()) return;
    terminal_ = std::move(*opened);
    int n = 0;
    for (const char* card : {"9900123456789017", "04A1B2C3D4E5F6"}) {
      (void)terminal_->Enroll(
          {"enrol-" + std::to_string(++n), *loyalty::CardId::Parse(card), "", "Member"});
    }
  }
  ~Till() {
    terminal_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  loyalty::Terminal* operator->() { return terminal_.get(); }
  explicit operator bool() const { return terminal_ != nullptr; }

 private:
  std::string dir_;
  std::unique_ptr<loyalty::Terminal> terminal_;
};

Till& SharedTill() {
  static Till till;
  return till;
}

// Shows the account for `read` and records the time since `since`.
bool Record(benchmark::State& state, const loyalty::Result<loyalty::CardRead>& read,
            SteadyClock::time_point since) {
  const auto at_read = SteadyClock::now();
  if (!read.ok() || !read->status.ok()) {
    state.SkipWithError("read failed");
    return false;
  }
  Till& till = SharedTill();
  if (!till) {
    state.SkipWithError("no till");
    return false;
  }
  auto view = till->Identify(*read);
  const auto shown = SteadyClock::now();
  if (!view.ok()) {
    state.SkipWithError(view.status().ToString().c_str());
    return false;
  }
  benchmark::DoNotOptimize(view->available);
  state.SetIterationTime(std::chrono::duration<double>(shown - since).count());
  state.counters["read_us"] += std::chrono::duration<double, std::micro>(at_read - since).count();
  return true;
}

// read_us as a mean per read.
void ReadCounterAsMean(benchmark::State& state) {
  if (state.iterations() > 0 && state.counters.count("read_us") > 0) {
    state.counters["read_us"] = benchmark::Counter(
        state.counters["read_us"].value / static_cast<double>(state.iterations()));
  }
}

void SerialSwipe(benchmark::State& state) {
  int master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master < 0 || ::grantpt(master) != 0 || ::unlockpt(master) != 0) {
    state.SkipWithError("no pty");
    return;
  }
  auto reader = MustOpen(std::string("magstripe-serial:") + ::ptsname(master), state);
  for (auto _ : state) {
    if (!reader) break;
    if (::write(master, kSwipe, sizeof kSwipe - 1) != static_cast<ssize_t>(sizeof kSwipe - 1)) {
      state.SkipWithError("write");
      break;
    }
    const auto last_byte = SteadyClock::now();
    if (!Record(state, reader->WaitForCard(1s), last_byte)) break;
  }
  reader.reset();
  ::close(master);
  ReadCounterAsMean(state);
}
BENCHMARK(SerialSwipe)->UseManualTime()->Unit(benchmark::kMicrosecond);

void KeyboardWedgeSwipe(benchmark::State& state) {
  std::string dir = (std::filesystem::temp_directory_path() / "loyalty-bench-XXXXXX").string();
  if (::mkdtemp(dir.data()) == nullptr) return state.SkipWithError("mkdtemp");
  const std::string fifo = dir + "/event0";
  ::mkfifo(fifo.c_str(), 0600);
  auto reader = MustOpen("magstripe-evdev:" + fifo, state);
  int writer = ::open(fifo.c_str(), O_WRONLY | O_CLOEXEC);
  // The swipe as key events: digits and ';' '=' unshifted, the rest shifted.
  std::vector<input_event> events;
  auto key = [&](unsigned short code, bool shift) {
    auto add = [&](unsigned short c, int v) {
      input_event e{};
      e.type = EV_KEY;
      e.code = c;
      e.value = v;
      events.push_back(e);
    };
    if (shift) add(KEY_LEFTSHIFT, 1);
    add(code, 1);
    add(code, 0);
    if (shift) add(KEY_LEFTSHIFT, 0);
  };
  const unsigned short digits[] = {KEY_0, KEY_1, KEY_2, KEY_3, KEY_4,
                                   KEY_5, KEY_6, KEY_7, KEY_8, KEY_9};
  for (char c : std::string(";9900123456789017=?")) {
    if (c >= '0' && c <= '9') key(digits[c - '0'], false);
    if (c == ';') key(KEY_SEMICOLON, false);
    if (c == '=') key(KEY_EQUAL, false);
    if (c == '?') key(KEY_SLASH, true);
  }
  key(KEY_ENTER, false);
  const auto bytes = static_cast<ssize_t>(events.size() * sizeof(input_event));
  for (auto _ : state) {
    if (!reader || writer < 0) break;
    if (::write(writer, events.data(), static_cast<size_t>(bytes)) != bytes) {
      state.SkipWithError("write");
      break;
    }
    const auto last_byte = SteadyClock::now();
    if (!Record(state, reader->WaitForCard(1s), last_byte)) break;
  }
  reader.reset();
  if (writer >= 0) ::close(writer);
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  ReadCounterAsMean(state);
}
BENCHMARK(KeyboardWedgeSwipe)->UseManualTime()->Unit(benchmark::kMicrosecond);

#if defined(LOYALTY_BENCH_NFC)
const std::vector<std::uint8_t> kUid = {0x04, 0xA1, 0xB2, 0xC3, 0xD4, 0xE5, 0xF6};

// From the emulated PN532's answer carrying the card (the target found, or
// with ndef=1 the last page read) to the CardRead: the host-side cost.
void NfcCardAnswerToRead(benchmark::State& state, const char* options, bool ndef) {
  ::setenv("LIBNFC_AUTO_SCAN", "false", 0);
  ::setenv("LIBNFC_LOG_LEVEL", "0", 0);
  loyalty::testing::Pn532Emulator emulator;
  auto reader = MustOpen(emulator.connstring() + options, state);
  auto card = ndef ? loyalty::testing::EmulatedCard::Ntag213WithText(kUid, "9900123456789017")
                   : loyalty::testing::EmulatedCard::Ntag213(kUid, {});
  for (auto _ : state) {
    if (!reader) break;
    emulator.Remove();
    emulator.Tap(card);
    auto read = reader->WaitForCard(2s);
    if (!Record(state, read, emulator.last_card_answer())) break;
  }
  ReadCounterAsMean(state);
}
BENCHMARK_CAPTURE(NfcCardAnswerToRead, Uid, "?poll_ms=20", false)
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(NfcCardAnswerToRead, NdefText, "?poll_ms=20&ndef=1", true)
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);

// What the customer waits for: from the tap to the CardRead with the
// default poll_ms=50 and the NDEF read. The tap lands at a random moment of
// the polling cycle, as a customer's does.
void NfcTapToRead(benchmark::State& state) {
  ::setenv("LIBNFC_AUTO_SCAN", "false", 0);
  ::setenv("LIBNFC_LOG_LEVEL", "0", 0);
  loyalty::testing::Pn532Emulator emulator;
  auto reader = MustOpen(emulator.connstring() + "?ndef=1", state);
  auto card = loyalty::testing::EmulatedCard::Ntag213WithText(kUid, "9900123456789017");
  std::mt19937 random(42);
  std::uniform_int_distribution<int> delay_ms(5, 65);
  for (auto _ : state) {
    if (!reader) break;
    emulator.Remove();
    SteadyClock::time_point tap;
    std::thread customer([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(random)));
      tap = SteadyClock::now();
      emulator.Tap(card);
    });
    auto read = reader->WaitForCard(2s);
    customer.join();
    if (!Record(state, read, tap)) break;
  }
  ReadCounterAsMean(state);
}
BENCHMARK(NfcTapToRead)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(60);

#endif  // LOYALTY_BENCH_NFC

}  // namespace
