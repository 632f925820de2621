// How fast a wait ends when told: the time from Cancel() (another thread,
// at a random point of the wait) to WaitForCard() returning kCancelled, and
// how far past its timeout a wait returns, in each reader state, on the
// test readers (the emulated PN532 with Debian's libnfc pn532_uart driver;
// pcscd with vpcd). A measurement, not a test: docs/readers.md quotes it.
//
//   readers_stop_latency [waits per state, default 50]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "libnfc_env.hpp"
#include "loyalty/reader.hpp"
#include "pcscd_runner.hpp"
#include "pn532_emulator.hpp"
#include "reader_test_util.hpp"
#include "vpcd_card.hpp"

namespace loyalty {
namespace {

using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;
using readers::testing::ScratchDir;
using testing::EmulatedCard;
using testing::Pn532Emulator;
using testing::Pn532Fault;

const std::vector<std::uint8_t> kUid = {0x04, 0xA1, 0xB2, 0xC3, 0xD4, 0xE5, 0xF6};
constexpr auto kTimeout = 200ms;

double Ms(SteadyClock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

std::string Summary(std::vector<double> ms) {
  if (ms.empty()) return "no samples";
  std::sort(ms.begin(), ms.end());
  auto at = [&](double q) {
    return ms[static_cast<std::size_t>(q * static_cast<double>(ms.size() - 1))];
  };
  char text[128];
  std::snprintf(text, sizeof text, "median %6.2f ms  p95 %6.2f ms  max %6.2f ms  (n=%zu)",
                at(0.5), at(0.95), ms.back(), ms.size());
  return text;
}

// `waits` waits, each cancelled from another thread 0-50 ms after it began;
// `before_each` (optional) sets the state up again.
void MeasureCancel(const char* state, CardReader& reader, int waits,
                   const std::function<void()>& before_each = {}) {
  std::mt19937 random(42);
  std::vector<double> latencies;
  int other = 0;
  for (int i = 0; i < waits; ++i) {
    if (before_each) before_each();
    const auto delay = std::chrono::milliseconds(random() % 51);
    std::atomic<SteadyClock::time_point> cancelled_at{};
    std::thread canceller([&] {
      std::this_thread::sleep_for(delay);
      cancelled_at = SteadyClock::now();
      reader.Cancel();
    });
    auto read = reader.WaitForCard(20s);
    const auto returned = SteadyClock::now();
    canceller.join();
    if (read.status().code() == StatusCode::kCancelled) {
      latencies.push_back(std::max(0.0, Ms(returned - cancelled_at.load())));
    } else {
      ++other;
      // An outcome other than the cancel (e.g. the chip declared gone first)
      // may leave the cancel for the next wait: use it up.
      (void)reader.WaitForCard(0ms);
    }
  }
  std::printf("  %-34s cancel: %s%s\n", state, Summary(latencies).c_str(),
              other ? (", " + std::to_string(other) + " ended otherwise").c_str() : "");
}

// The reader is gone: a wait returns kDeviceGone ("not open") at once, so a
// cancel can only come between waits. Measured: Cancel(), then how long the
// next wait takes to return kCancelled (it must not say "not open").
void MeasurePendingCancel(const char* state, CardReader& reader, int waits) {
  std::vector<double> latencies;
  int other = 0;
  for (int i = 0; i < waits; ++i) {
    reader.Cancel();
    const auto start = SteadyClock::now();
    auto read = reader.WaitForCard(20s);
    if (read.status().code() == StatusCode::kCancelled) {
      latencies.push_back(Ms(SteadyClock::now() - start));
    } else {
      ++other;
    }
  }
  std::printf("  %-34s cancel made between waits, next wait: %s%s\n", state,
              Summary(latencies).c_str(),
              other ? (", " + std::to_string(other) + " not cancelled").c_str() : "");
}

void MeasureTimeout(const char* state, CardReader& reader, int waits) {
  std::vector<double> overshoot;
  for (int i = 0; i < waits; ++i) {
    const auto start = SteadyClock::now();
    auto read = reader.WaitForCard(kTimeout);
    if (read.status().code() != StatusCode::kTimeout) continue;
    overshoot.push_back(Ms(SteadyClock::now() - start - kTimeout));
  }
  std::printf("  %-34s timeout 200 ms, past it by: %s\n", state, Summary(overshoot).c_str());
}

std::unique_ptr<CardReader> OpenStarted(const std::string& connection) {
  auto reader = OpenReader(connection);
  if (!reader.ok() || !(*reader)->Start().ok()) {
    std::fprintf(stderr, "cannot open %s\n", connection.c_str());
    std::exit(1);
  }
  return std::move(reader).value();
}

void Nfc(int waits) {
  std::printf("PN532 (libnfc pn532_uart, emulated on a pty, poll_ms=50)\n");
  ScratchDir dir;
  Pn532Emulator emulator(dir.File("ttyNFC"));
  auto reader = OpenStarted(emulator.connstring() + "?ndef=1");
  MeasureCancel("no card", *reader, waits);
  MeasureTimeout("no card", *reader, waits / 5);

  emulator.Tap(EmulatedCard::Ntag213WithText(kUid, "9900123456789017"));
  (void)reader->WaitForCard(5s);
  MeasureCancel("card held", *reader, waits);
  MeasureTimeout("card held", *reader, waits / 5);
  emulator.Remove();

  emulator.InjectFault(Pn532Fault::kBadChecksum, 0x40, -1);  // every READ cut short
  emulator.Tap(EmulatedCard::Ntag213WithText(kUid, "9900123456789017"));
  (void)reader->WaitForCard(5s);  // the one bad read
  MeasureCancel("card that fails (bad checksum)", *reader, waits);
  MeasureTimeout("card that fails (bad checksum)", *reader, waits / 5);
  emulator.ClearFaults();
  emulator.Remove();

  emulator.Unplug();
  (void)reader->WaitForCard(5s);
  (void)reader->Start();
  MeasurePendingCancel("reader gone (unplugged)", *reader, waits);
  emulator.Replug();

  auto dying = OpenStarted(emulator.connstring());
  MeasureCancel("chip stops answering mid-wait", *dying, waits / 5, [&] {
    emulator.ClearFaults();
    (void)dying->Start();
    emulator.InjectFault(Pn532Fault::kSilent, Pn532Emulator::kAnyCommand, -1);
  });
  emulator.ClearFaults();
}

void Pcsc(int waits) {
  std::printf("PC/SC (pcscd + vpcd)\n");
  ScratchDir dir;
  const std::uint16_t port = testing::FreePort();
  testing::Pcscd pcscd;
  if (std::string why = pcscd.Start(dir.File("reader.conf.d"), port); !why.empty()) {
    std::printf("  skipped: %s\n", why.c_str());
    return;
  }
  auto reader = OpenStarted("pcsc:Virtual PCD 00 00");
  MeasureCancel("no card", *reader, waits);
  MeasureTimeout("no card", *reader, waits / 5);
  {
    testing::VpcdCard card(port, kUid, {});
    (void)reader->WaitForCard(5s);
    MeasureCancel("card held", *reader, waits);
    MeasureTimeout("card held", *reader, waits / 5);
  }
  testing::WaitUntilFieldEmpty();
  {
    testing::VpcdCard card(port, {}, {});  // answers the UID command with 6A81
    (void)reader->WaitForCard(5s);
    MeasureCancel("card that fails (6A81)", *reader, waits);
    MeasureTimeout("card that fails (6A81)", *reader, waits / 5);
  }
  testing::WaitUntilFieldEmpty();
  pcscd.Stop();
  (void)reader->WaitForCard(5s);
  (void)reader->Start();
  MeasurePendingCancel("pcscd gone", *reader, waits);
}

}  // namespace
}  // namespace loyalty

int main(int argc, char** argv) {
  const int waits = argc > 1 ? std::max(5, std::atoi(argv[1])) : 50;
  loyalty::Nfc(waits);
  loyalty::Pcsc(waits);
  return 0;
}
