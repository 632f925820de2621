// The PC/SC reader against a real pcscd that the test starts itself, with
// vsmartcard's vpcd driver as the reader and tests/support/vpcd_card.* as
// the card. Skipped only when pcscd cannot run here, and it says why.
#include <winscard.h>

#include <gtest/gtest.h>

#include <thread>

#include "loyalty/reader.hpp"
#include "ntag424_card.hpp"
#include "pcsc/pcsc_answer.hpp"
#include "pcscd_runner.hpp"
#include "reader_test_util.hpp"
#include "vpcd_card.hpp"

namespace loyalty {
namespace {

using namespace std::chrono_literals;
using readers::testing::CountLines;
using readers::testing::LogCapture;
using readers::testing::ScratchDir;
using readers::testing::Stopwatch;
using readers::testing::WaitCancelledFromAnotherThread;
using testing::FreePort;
using testing::Pcscd;
using testing::VpcdCard;
using testing::WaitUntilFieldEmpty;

const std::vector<std::uint8_t> kUid = {0x04, 0xA1, 0xB2, 0xC3, 0xD4, 0xE5, 0xF6};

std::vector<std::uint8_t> Ntag213WithText(const std::string& text) {
  std::vector<std::uint8_t> memory(45 * 4, 0x00);
  const std::uint8_t cc[] = {0xE1, 0x10, 0x12, 0x00};
  std::copy(std::begin(cc), std::end(cc), memory.begin() + 12);
  std::vector<std::uint8_t> tlv = {0x03, static_cast<std::uint8_t>(7 + text.size()), 0xD1, 0x01,
                                   static_cast<std::uint8_t>(3 + text.size()), 'T', 0x02, 'e', 'n'};
  for (char c : text) tlv.push_back(static_cast<std::uint8_t>(c));
  tlv.push_back(0xFE);
  std::copy(tlv.begin(), tlv.end(), memory.begin() + 16);
  return memory;
}

class PcscReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why = pcscd_.Start(dir_.File("reader.conf.d"), port_);
    if (!why.empty()) GTEST_SKIP() << "pcscd cannot run: " << why;
  }

  std::unique_ptr<CardReader> Open(const std::string& connection = "pcsc:Virtual PCD 00 00") {
    ReaderOptions options;
    options.log = log_.fn();
    auto reader = OpenReader(connection, options);
    EXPECT_TRUE(reader.ok()) << reader.status().ToString();
    if (!reader.ok()) return nullptr;
    Status started = (*reader)->Start();
    EXPECT_TRUE(started.ok()) << started.ToString();
    return started.ok() ? std::move(reader).value() : nullptr;
  }
  std::unique_ptr<VpcdCard> Insert(std::vector<std::uint8_t> memory = {}) {
    auto card = std::make_unique<VpcdCard>(port_, kUid, std::move(memory));
    EXPECT_TRUE(card->connected());
    return card;
  }

  // A card whose UID command is refused with 6A81.
  std::unique_ptr<VpcdCard> InsertFailingCard() {
    auto card = std::make_unique<VpcdCard>(port_, std::vector<std::uint8_t>{},
                                           std::vector<std::uint8_t>{});
    EXPECT_TRUE(card->connected());
    return card;
  }

  ScratchDir dir_;
  std::uint16_t port_ = FreePort();
  Pcscd pcscd_;
  LogCapture log_;
};

TEST_F(PcscReaderTest, CardPresentedDuringTheWaitIsReportedByUid) {
  auto reader = Open();
  ASSERT_TRUE(reader);
  std::unique_ptr<VpcdCard> card;
  std::thread tap([&] {
    std::this_thread::sleep_for(200ms);
    card = Insert();
  });
  auto read = reader->WaitForCard(30s);
  tap.join();
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  ASSERT_TRUE(read->status.ok()) << read->status.ToString();
  EXPECT_EQ(read->card.value(), "04A1B2C3D4E5F6");
  EXPECT_EQ(read->source, CardSource::kNfcUid);
}

TEST_F(PcscReaderTest, NoCardTimesOut) {
  auto reader = Open();
  ASSERT_TRUE(reader);
  Stopwatch watch;
  EXPECT_EQ(reader->WaitForCard(300ms).status().code(), StatusCode::kTimeout);
  EXPECT_GE(watch.ms(), 299) << "not before its time";
  EXPECT_LT(watch.ms(), 10'000) << "safety limit";
}

TEST_F(PcscReaderTest, CancelFromAnotherThread) {
  auto reader = Open();
  ASSERT_TRUE(reader);
  EXPECT_EQ(WaitCancelledFromAnotherThread(*reader).status().code(), StatusCode::kCancelled);
  // The cancel was used up: the reader waits again as usual.
  auto card = Insert();
  auto read = reader->WaitForCard(20s);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->card.value(), "04A1B2C3D4E5F6");
}

TEST_F(PcscReaderTest, CancelMadeWhileNothingWaitsEndsTheNextWaitOnly) {
  auto reader = Open();
  ASSERT_TRUE(reader);
  reader->Cancel();
  EXPECT_EQ(reader->WaitForCard(20s).status().code(), StatusCode::kCancelled);
  EXPECT_EQ(reader->WaitForCard(200ms).status().code(), StatusCode::kTimeout);
}

TEST_F(PcscReaderTest, HeldCardWaitEndsByCancelAndByTimeout) {
  auto reader = Open();
  ASSERT_TRUE(reader);
  auto card = Insert();
  ASSERT_TRUE(reader->WaitForCard(20s).ok());
  EXPECT_EQ(WaitCancelledFromAnotherThread(*reader).status().code(), StatusCode::kCancelled);
  reader->Cancel();
  EXPECT_EQ(reader->WaitForCard(20s).status().code(), StatusCode::kCancelled);
  Stopwatch watch;
  EXPECT_EQ(reader->WaitForCard(300ms).status().code(), StatusCode::kTimeout);
  EXPECT_LT(watch.ms(), 10'000) << "safety limit";
}

// A card that answers the UID command with 6A81, left on the reader: one
// bad read for the presentation, not one per poll (it was 1,149 back to
// back, and neither the timeout nor SIGTERM got through).
TEST_F(PcscReaderTest, CardThatFailsIsOneBadReadPerPresentation) {
  auto reader = Open();
  ASSERT_TRUE(reader);
  auto card = InsertFailingCard();
  auto bad = reader->WaitForCard(20s);
  ASSERT_TRUE(bad.ok()) << bad.status().ToString();
  EXPECT_EQ(bad->status.code(), StatusCode::kBadRead);
  EXPECT_NE(bad->status.message().find("6A81"), std::string::npos) << bad->status.message();
  const int apdus = card->apdus();

  Stopwatch watch;
  EXPECT_EQ(reader->WaitForCard(1s).status().code(), StatusCode::kTimeout)
      << "the same card, still there, is not read again";
  EXPECT_GE(watch.ms(), 999);
  EXPECT_LT(watch.ms(), 10'000) << "safety limit";
  EXPECT_EQ(WaitCancelledFromAnotherThread(*reader).status().code(), StatusCode::kCancelled);
  reader->Cancel();
  EXPECT_EQ(reader->WaitForCard(20s).status().code(), StatusCode::kCancelled);
  EXPECT_EQ(card->apdus(), apdus) << "the card was not asked again";
  EXPECT_EQ(CountLines(log_.all(), "bad read"), 1) << log_.all();

  card.reset();  // lifted, and presented again: a new presentation
  ASSERT_TRUE(WaitUntilFieldEmpty());
  card = InsertFailingCard();
  auto again = reader->WaitForCard(20s);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->status.code(), StatusCode::kBadRead);
  EXPECT_EQ(CountLines(log_.all(), "bad read"), 2) << log_.all();
}

// A card pulled away during its read: one bad read ("tap again"), then
// nothing while pcscd catches up with its leaving (the reader used to read
// it again at every wait, hundreds of bad reads a second), and the next
// presentation is read.
TEST_F(PcscReaderTest, CardPulledAwayDuringTheReadIsOneBadRead) {
  auto reader = Open();
  ASSERT_TRUE(reader);
  auto card = std::make_unique<VpcdCard>(port_, kUid, std::vector<std::uint8_t>{},
                                         VpcdCard::IsoDep{}, /*leave_at_apdu=*/1);
  ASSERT_TRUE(card->connected());
  auto bad = reader->WaitForCard(20s);
  ASSERT_TRUE(bad.ok()) << bad.status().ToString();
  EXPECT_EQ(bad->status.code(), StatusCode::kBadRead);
  EXPECT_NE(bad->status.message().find("tap again"), std::string::npos) << bad->status.message();
  EXPECT_EQ(reader->WaitForCard(1s).status().code(), StatusCode::kTimeout);
  EXPECT_EQ(CountLines(log_.all(), "bad read"), 1) << log_.all();
  card.reset();
  ASSERT_TRUE(WaitUntilFieldEmpty());
  card = Insert();
  auto good = reader->WaitForCard(20s);
  ASSERT_TRUE(good.ok()) << good.status().ToString();
  EXPECT_TRUE(good->status.ok()) << good->status.ToString();
}

TEST_F(PcscReaderTest, HeldCardIsReportedOnce) {
  auto reader = Open();
  ASSERT_TRUE(reader);
  auto card = Insert();
  ASSERT_TRUE(reader->WaitForCard(30s).ok());
  EXPECT_EQ(reader->WaitForCard(800ms).status().code(), StatusCode::kTimeout);
  card.reset();  // taken away
  EXPECT_EQ(reader->WaitForCard(800ms).status().code(), StatusCode::kTimeout);
  card = Insert();
  auto again = reader->WaitForCard(30s);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->card.value(), "04A1B2C3D4E5F6");
}

TEST_F(PcscReaderTest, NdefTextRecordThroughReadBinary) {
  auto reader = Open("pcsc:Virtual PCD 00 00?ndef=1");
  ASSERT_TRUE(reader);
  auto card = Insert(Ntag213WithText("9900123456789017"));
  auto read = reader->WaitForCard(30s);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  ASSERT_TRUE(read->status.ok()) << read->status.ToString();
  EXPECT_EQ(read->card.value(), "9900123456789017");
  EXPECT_EQ(read->source, CardSource::kNfcNdef);
}

TEST_F(PcscReaderTest, CardThatRefusesPageReadsGivesItsUid) {
  auto reader = Open("pcsc:Virtual PCD?ndef=1");
  ASSERT_TRUE(reader);
  auto card = Insert();
  auto read = reader->WaitForCard(30s);
  ASSERT_TRUE(read.ok() && read->status.ok());
  EXPECT_EQ(read->card.value(), "04A1B2C3D4E5F6");
}

TEST_F(PcscReaderTest, SecureNtag424TapsAreVerifiedAndReplaysRefused) {
  auto keys = [](std::string_view uid) -> std::optional<SunAuthority::Key> {
    if (uid != "04A1B2C3D4E5F6") return std::nullopt;
    return testing::FilledSunKey(0x22);
  };
  auto authority =
      SunCounterFile::Open(dir_.File("sun-counters.db"), testing::FilledSunKey(0x11), keys);
  ASSERT_TRUE(authority.ok()) << authority.status().ToString();
  ReaderOptions options;
  options.sun = authority->get();
  auto opened = OpenReader("pcsc:Virtual PCD 00 00?sun=1", options);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  auto& reader = *opened;
  ASSERT_TRUE(reader->Start().ok());

  testing::Ntag424 genuine(kUid, testing::FilledSunKey(0x11), testing::FilledSunKey(0x22));
  std::string recorded;
  {
    VpcdCard card(port_, kUid, {}, genuine.Apdus());
    ASSERT_TRUE(card.connected());
    auto read = reader->WaitForCard(30s);
    ASSERT_TRUE(read.ok()) << read.status().ToString();
    ASSERT_TRUE(read->status.ok()) << read->status.ToString();
    EXPECT_EQ(read->card.value(), "04A1B2C3D4E5F6");
    EXPECT_EQ(read->source, CardSource::kNfcSun);
    recorded = genuine.last_url();
  }
  std::this_thread::sleep_for(500ms);  // the next customer; pcscd sees the field empty
  {
    testing::Ntag424 copy(kUid, testing::FilledSunKey(0x11), testing::FilledSunKey(0x22));
    copy.Replay(recorded);
    VpcdCard card(port_, kUid, {}, copy.Apdus());
    auto read = reader->WaitForCard(30s);
    ASSERT_TRUE(read.ok()) << read.status().ToString();
    EXPECT_EQ(read->status.code(), StatusCode::kBadRead);
    EXPECT_NE(read->status.message().find("seen before"), std::string::npos)
        << read->status.message();
  }
  std::this_thread::sleep_for(500ms);
  {
    testing::Ntag424 forged(kUid, testing::FilledSunKey(0x11), testing::FilledSunKey(0x22));
    forged.TamperMac();
    VpcdCard card(port_, kUid, {}, forged.Apdus());
    auto read = reader->WaitForCard(30s);
    ASSERT_TRUE(read.ok()) << read.status().ToString();
    EXPECT_EQ(read->status.code(), StatusCode::kBadRead);
    EXPECT_NE(read->status.message().find("does not verify"), std::string::npos)
        << read->status.message();
  }
  std::this_thread::sleep_for(500ms);
  {
    VpcdCard plain(port_, kUid, {});  // a Type 2 tag: no ISO-DEP application
    auto read = reader->WaitForCard(30s);
    ASSERT_TRUE(read.ok()) << read.status().ToString();
    EXPECT_EQ(read->status.code(), StatusCode::kBadRead);
  }
  auto no_keys = OpenReader("pcsc:?sun=1");
  ASSERT_FALSE(no_keys.ok());
  EXPECT_NE(no_keys.status().message().find("ReaderOptions::sun"), std::string::npos);
}

TEST_F(PcscReaderTest, PcscdGoneIsDeviceGoneThenStartReopens) {
  auto reader = Open();
  ASSERT_TRUE(reader);
  std::thread stop([&] {
    std::this_thread::sleep_for(200ms);
    pcscd_.Stop();
  });
  auto read = reader->WaitForCard(30s);
  stop.join();
  EXPECT_EQ(read.status().code(), StatusCode::kDeviceGone) << read.status().ToString();
  EXPECT_EQ(reader->Start().code(), StatusCode::kDeviceGone) << "pcscd is not running";
  // A till told to stop while its reader is gone stops: the cancel is not
  // lost to "not open".
  reader->Cancel();
  EXPECT_EQ(reader->WaitForCard(20s).status().code(), StatusCode::kCancelled);
  EXPECT_EQ(reader->WaitForCard(20s).status().code(), StatusCode::kDeviceGone);
  ASSERT_EQ(pcscd_.Start(dir_.File("reader.conf.d"), port_), "");
  ASSERT_TRUE(reader->Start().ok());
  auto card = Insert();
  auto after = reader->WaitForCard(30s);
  ASSERT_TRUE(after.ok()) << after.status().ToString();
}

TEST_F(PcscReaderTest, UnknownReaderNameIsDeviceGoneNamingIt) {
  auto reader = OpenReader("pcsc:ACR1252");
  ASSERT_TRUE(reader.ok());
  Status started = (*reader)->Start();
  EXPECT_EQ(started.code(), StatusCode::kDeviceGone);
  EXPECT_NE(started.message().find("ACR1252"), std::string::npos);
}


// The bytes a reader returns for an APDU, checked without pcscd.
TEST(PcscAnswerTest, StatusWordIsCheckedAndCutOff) {
  using Bytes = std::vector<std::uint8_t>;
  auto data = readers::PcscAnswer(Bytes{0x04, 0xA1, 0x90, 0x00}, "reading the UID");
  ASSERT_TRUE(data.ok());
  EXPECT_EQ(*data, (Bytes{0x04, 0xA1}));
  auto refused = readers::PcscAnswer(Bytes{0x6A, 0x81}, "reading the UID");
  EXPECT_EQ(refused.status().code(), StatusCode::kBadRead);
  EXPECT_NE(refused.status().message().find("reading the UID refused, SW 6A81"),
            std::string::npos);
  for (const Bytes& short_answer : {Bytes{}, Bytes{0x90}}) {
    auto answer = readers::PcscAnswer(short_answer, "reading the card");
    EXPECT_EQ(answer.status().code(), StatusCode::kBadRead);
    EXPECT_NE(answer.status().message().find("no status word"), std::string::npos);
  }
}

}  // namespace
}  // namespace loyalty
