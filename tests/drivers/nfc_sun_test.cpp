// NTAG 424 DNA cards on the emulated PN532: the reader selects the NDEF
// application over ISO-DEP, reads the SUN URL and verifies it (sun=1).
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "libnfc_env.hpp"
#include "loyalty/reader.hpp"
#include "nfc/sun_message.hpp"
#include "ntag424_card.hpp"
#include "pn532_emulator.hpp"
#include "reader_test_util.hpp"

namespace loyalty {
namespace {

using namespace std::chrono_literals;
using readers::AesKey;
using readers::testing::LogCapture;
using readers::testing::ScratchDir;
using testing::EmulatedCard;
using testing::Pn532Emulator;

const std::vector<std::uint8_t> kUid = {0x04, 0xDE, 0x5F, 0x1E, 0xAC, 0xC0, 0x40};
constexpr char kUidHex[] = "04DE5F1EACC040";

AesKey FilledKey(std::uint8_t fill) {
  AesKey key;
  key.fill(fill);
  return key;
}

// The till's side: keys per card and the last counter seen.
class TestSunAuthority final : public SunAuthority {
 public:
  Key MetaReadKey() const override { return FilledKey(0x11); }
  std::optional<Key> FileReadKey(std::string_view uid_hex) const override {
    if (uid_hex != kUidHex) return std::nullopt;
    return FilledKey(0x22);
  }
  bool AcceptCounter(std::string_view uid_hex, std::uint32_t counter) override {
    std::lock_guard lock(mutex_);
    auto [it, inserted] = last_.try_emplace(std::string(uid_hex), counter);
    if (inserted) return true;
    if (counter <= it->second) return false;
    it->second = counter;
    return true;
  }

 private:
  std::mutex mutex_;
  std::map<std::string, std::uint32_t> last_;
};

// The card of these tests, keyed as TestSunAuthority expects.
class Ntag424 : public testing::Ntag424 {
 public:
  explicit Ntag424(AesKey file_key = FilledKey(0x22))
      : testing::Ntag424(kUid, FilledKey(0x11), file_key) {}
};

class NfcSunTest : public ::testing::Test {
 protected:
  std::unique_ptr<CardReader> Open() {
    ReaderOptions options;
    options.sun = &authority_;
    options.log = log_.fn();
    auto reader = OpenReader(emulator_.connstring() + "?sun=1&poll_ms=20", options);
    EXPECT_TRUE(reader.ok()) << reader.status().ToString();
    if (!reader.ok() || !(*reader)->Start().ok()) return nullptr;
    return std::move(reader).value();
  }

  ScratchDir dir_;
  Pn532Emulator emulator_{dir_.File("ttyNFC")};
  TestSunAuthority authority_;
  LogCapture log_;
};

TEST_F(NfcSunTest, GenuineCardIsReadByItsVerifiedUid) {
  auto reader = Open();
  ASSERT_TRUE(reader);
  Ntag424 tag;
  emulator_.Tap(tag.Card());
  auto read = reader->WaitForCard(2s);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  ASSERT_TRUE(read->status.ok()) << read->status.ToString();
  EXPECT_EQ(read->card.value(), kUidHex);
  EXPECT_EQ(read->source, CardSource::kNfcSun);
}

TEST_F(NfcSunTest, EveryTapIsANewMessageAndAllVerify) {
  auto reader = Open();
  ASSERT_TRUE(reader);
  Ntag424 tag;
  std::string first_url;
  for (int tap = 0; tap < 3; ++tap) {
    emulator_.Tap(tag.Card());
    auto read = reader->WaitForCard(2s);
    ASSERT_TRUE(read.ok() && read->status.ok()) << "tap " << tap;
    if (tap == 0) first_url = tag.last_url();
    emulator_.Remove();
  }
  EXPECT_NE(tag.last_url(), first_url);
}

TEST_F(NfcSunTest, HeldSecureCardIsReportedOnce) {
  auto reader = Open();
  ASSERT_TRUE(reader);
  Ntag424 tag;
  emulator_.Tap(tag.Card());
  ASSERT_TRUE(reader->WaitForCard(2s).ok());
  EXPECT_EQ(reader->WaitForCard(300ms).status().code(), StatusCode::kTimeout);
}

TEST_F(NfcSunTest, ReplayedMessageIsRefused) {
  auto reader = Open();
  ASSERT_TRUE(reader);
  Ntag424 genuine;
  emulator_.Tap(genuine.Card());
  auto first = reader->WaitForCard(2s);
  ASSERT_TRUE(first.ok() && first->status.ok());
  emulator_.Remove();
  // A copy of the card replays the message it recorded.
  Ntag424 copy;
  copy.Replay(genuine.last_url());
  emulator_.Tap(copy.Card());
  auto replayed = reader->WaitForCard(2s);
  ASSERT_TRUE(replayed.ok()) << replayed.status().ToString();
  EXPECT_EQ(replayed->status.code(), StatusCode::kBadRead);
  EXPECT_NE(replayed->status.message().find("seen before"), std::string::npos)
      << replayed->status.message();
  EXPECT_TRUE(replayed->card.empty());
  EXPECT_EQ(reader->WaitForCard(200ms).status().code(), StatusCode::kTimeout)
      << "a refused card is reported once, not on every poll";
}

TEST_F(NfcSunTest, AlteredMacIsRefused) {
  auto reader = Open();
  ASSERT_TRUE(reader);
  Ntag424 tag;
  tag.TamperMac();
  emulator_.Tap(tag.Card());
  auto read = reader->WaitForCard(2s);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->status.code(), StatusCode::kBadRead);
  EXPECT_NE(read->status.message().find("does not verify"), std::string::npos);
}

TEST_F(NfcSunTest, CardWithAnotherFileKeyIsRefused) {
  auto reader = Open();
  ASSERT_TRUE(reader);
  Ntag424 foreign(FilledKey(0x33));
  emulator_.Tap(foreign.Card());
  auto read = reader->WaitForCard(2s);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->status.code(), StatusCode::kBadRead);
}

TEST_F(NfcSunTest, PlainNtagIsRefusedWhenSecureCardsAreRequired) {
  auto reader = Open();
  ASSERT_TRUE(reader);
  emulator_.Tap(EmulatedCard::Ntag213WithText(kUid, "9900123456789017"));
  auto read = reader->WaitForCard(2s);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->status.code(), StatusCode::kBadRead);
  EXPECT_NE(read->status.message().find("NTAG 424"), std::string::npos);
}

TEST_F(NfcSunTest, ACounterFileRefusesAReplayAfterARestart) {
  auto keys = [](std::string_view uid) -> std::optional<SunAuthority::Key> {
    if (uid != kUidHex) return std::nullopt;
    return FilledKey(0x22);
  };
  const std::string counters = dir_.File("sun-counters.db");
  Ntag424 genuine;
  std::string recorded;
  {
    auto authority = SunCounterFile::Open(counters, FilledKey(0x11), keys);
    ASSERT_TRUE(authority.ok()) << authority.status().ToString();
    ReaderOptions options;
    options.sun = authority->get();
    auto reader = OpenReader(emulator_.connstring() + "?sun=1&poll_ms=20", options);
    ASSERT_TRUE(reader.ok() && (*reader)->Start().ok());
    emulator_.Tap(genuine.Card());
    auto read = (*reader)->WaitForCard(2s);
    ASSERT_TRUE(read.ok() && read->status.ok()) << read->status.ToString();
    recorded = genuine.last_url();
    emulator_.Remove();
  }
  // The till restarts; a copy replays the tap it recorded.
  auto authority = SunCounterFile::Open(counters, FilledKey(0x11), keys);
  ASSERT_TRUE(authority.ok());
  ReaderOptions options;
  options.sun = authority->get();
  auto reader = OpenReader(emulator_.connstring() + "?sun=1&poll_ms=20", options);
  ASSERT_TRUE(reader.ok() && (*reader)->Start().ok());
  Ntag424 copy;
  copy.Replay(recorded);
  emulator_.Tap(copy.Card());
  auto replayed = (*reader)->WaitForCard(2s);
  ASSERT_TRUE(replayed.ok());
  EXPECT_EQ(replayed->status.code(), StatusCode::kBadRead);
  EXPECT_NE(replayed->status.message().find("seen before"), std::string::npos);
  emulator_.Remove();
  // The genuine card's next tap is a new message: accepted.
  emulator_.Tap(genuine.Card());
  auto next = (*reader)->WaitForCard(2s);
  ASSERT_TRUE(next.ok());
  EXPECT_TRUE(next->status.ok()) << next->status.ToString();
}

TEST(NfcSun, ACounterFileThatCannotBeWrittenIsNamed) {
  auto keys = [](std::string_view) { return std::optional<SunAuthority::Key>(); };
  auto authority = SunCounterFile::Open("/nonexistent-dir/sun.db", FilledKey(1), keys);
  ASSERT_FALSE(authority.ok());
  EXPECT_EQ(authority.status().code(), StatusCode::kIoError);
  EXPECT_NE(authority.status().message().find("/nonexistent-dir/sun.db"), std::string::npos);
}

TEST(NfcSun, SunOptionWithoutKeysIsRefusedAtOpen) {
  auto reader = OpenReader("pn532_uart:/dev/ttyUSB0?sun=1");
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(reader.status().message().find("ReaderOptions::sun"), std::string::npos);
}

}  // namespace
}  // namespace loyalty
