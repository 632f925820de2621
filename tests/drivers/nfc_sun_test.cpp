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

// An NTAG 424 DNA with SDM on: every selection of its NDEF application
// counts a read, and the NDEF file's URL then carries that tap's e and c.
// `replay` freezes the URL of one tap, as a copied card would.
class Ntag424 {
 public:
  explicit Ntag424(AesKey file_key = FilledKey(0x22)) : state_(std::make_shared<State>()) {
    state_->file_key = file_key;
  }

  // The emulator's thread answers APDUs with the tag's state while the test
  // reads it, and may still hold the card after the test's Ntag424 is gone:
  // the state is shared and locked (ThreadSanitizer found both).
  EmulatedCard Card() {
    return EmulatedCard::IsoDep(kUid, [state = state_](const std::vector<std::uint8_t>& apdu) {
      std::lock_guard lock(state->mutex);
      return state->Answer(apdu);
    });
  }
  void Replay(std::string frozen_url) {
    std::lock_guard lock(state_->mutex);
    state_->frozen_url = std::move(frozen_url);
  }
  void TamperMac() {
    std::lock_guard lock(state_->mutex);
    state_->tamper = true;
  }
  std::string last_url() const {
    std::lock_guard lock(state_->mutex);
    return state_->url;
  }

 private:
  struct State {
    std::vector<std::uint8_t> Answer(const std::vector<std::uint8_t>& apdu) {
      const std::vector<std::uint8_t> ok = {0x90, 0x00};
      if (apdu.size() >= 5 && apdu[1] == 0xA4 && apdu[2] == 0x04) {  // SELECT application
        ++counter;
        const std::uint8_t padding[5] = {0xA5, 0x5A, 0x00, 0x11, 0x22};
        auto sun = readers::MakeSunParameters(kUid, counter, FilledKey(0x11), file_key, padding);
        if (tamper) sun.c[0] = sun.c[0] == '0' ? '1' : '0';
        url = frozen_url.empty() ? "shop.example/t?e=" + sun.e + "&c=" + sun.c : frozen_url;
        std::vector<std::uint8_t> record = {0xD1, 0x01, static_cast<std::uint8_t>(1 + url.size()),
                                            'U', 0x04};
        for (char c : url) record.push_back(static_cast<std::uint8_t>(c));
        file = {0x00, static_cast<std::uint8_t>(record.size())};
        for (std::uint8_t b : record) file.push_back(b);
        return ok;
      }
      if (apdu.size() >= 7 && apdu[1] == 0xA4 && apdu[5] == 0xE1 && apdu[6] == 0x04) return ok;
      if (apdu.size() >= 5 && apdu[1] == 0xB0) {  // READ BINARY
        const std::size_t offset = static_cast<std::size_t>(apdu[2]) << 8 | apdu[3];
        std::vector<std::uint8_t> data;
        for (std::size_t i = offset; i < offset + apdu[4] && i < file.size(); ++i) {
          data.push_back(file[i]);
        }
        data.insert(data.end(), ok.begin(), ok.end());
        return data;
      }
      return {0x6D, 0x00};
    }

    std::mutex mutex;
    AesKey file_key{};
    std::uint32_t counter = 60;
    std::string url;
    std::string frozen_url;
    bool tamper = false;
    std::vector<std::uint8_t> file;
  };
  std::shared_ptr<State> state_;
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

TEST(NfcSun, SunOptionWithoutKeysIsRefusedAtOpen) {
  auto reader = OpenReader("pn532_uart:/dev/ttyUSB0?sun=1");
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(reader.status().message().find("ReaderOptions::sun"), std::string::npos);
}

}  // namespace
}  // namespace loyalty
