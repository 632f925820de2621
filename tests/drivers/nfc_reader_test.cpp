// The libnfc reader, through OpenReader, against Debian's real pn532_uart
// driver talking to the emulated PN532 on a pseudo-terminal.
#include <gtest/gtest.h>

#include <thread>

#include "libnfc_env.hpp"
#include "loyalty/reader.hpp"
#include "pn532_emulator.hpp"
#include "reader_test_util.hpp"

namespace loyalty {
namespace {

using namespace std::chrono_literals;
using readers::testing::CountLines;
using readers::testing::LogCapture;
using readers::testing::ScratchDir;
using readers::testing::Stopwatch;
using readers::testing::WaitCancelledFromAnotherThread;
using testing::EmulatedCard;
using testing::Pn532Emulator;
using testing::Pn532Fault;

const std::vector<std::uint8_t> kUid = {0x04, 0xA1, 0xB2, 0xC3, 0xD4, 0xE5, 0xF6};
const std::vector<std::uint8_t> kOtherUid = {0x04, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66};
constexpr char kUidHex[] = "04A1B2C3D4E5F6";
constexpr std::uint8_t kInListPassiveTarget = 0x4A;
constexpr std::uint8_t kInDataExchange = 0x40;

class NfcReaderTest : public ::testing::Test {
 protected:
  // The port is a symlink to the pty, as /dev/serial/by-id/… is to
  // /dev/ttyUSB0: the name survives an unplug and replug.
  std::unique_ptr<CardReader> Open(const std::string& options = "") {
    ReaderOptions reader_options;
    reader_options.log = log_.fn();
    auto reader = OpenReader(emulator_.connstring() + "?poll_ms=20" + options, reader_options);
    EXPECT_TRUE(reader.ok()) << reader.status().ToString();
    if (!reader.ok()) return nullptr;
    Status started = (*reader)->Start();
    EXPECT_TRUE(started.ok()) << started.ToString();
    return std::move(reader).value();
  }

  ScratchDir dir_;
  Pn532Emulator emulator_{dir_.File("ttyNFC")};
  LogCapture log_;
};

TEST_F(NfcReaderTest, CardTappedDuringTheWaitIsReportedByUid) {
  auto reader = Open();
  ASSERT_TRUE(reader);
  std::thread tap([&] {
    std::this_thread::sleep_for(150ms);
    emulator_.Tap(EmulatedCard::Ntag213WithText(kUid, "9900123456789017"));
  });
  Stopwatch watch;
  auto read = reader->WaitForCard(3s);
  tap.join();
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  ASSERT_TRUE(read->status.ok()) << read->status.ToString();
  EXPECT_EQ(read->card.value(), kUidHex);
  EXPECT_EQ(read->source, CardSource::kNfcUid);
  EXPECT_GE(watch.ms(), 140);
  EXPECT_LT(watch.ms(), 10'000) << "safety limit";
  EXPECT_GT(emulator_.CommandCount(kInListPassiveTarget), 1) << "it polled until the tap";
}

TEST_F(NfcReaderTest, NoCardTimesOut) {
  auto reader = Open();
  ASSERT_TRUE(reader);
  Stopwatch watch;
  auto read = reader->WaitForCard(250ms);
  EXPECT_EQ(read.status().code(), StatusCode::kTimeout);
  EXPECT_GE(watch.ms(), 249) << "not before its time";
  EXPECT_LT(watch.ms(), 10'000) << "safety limit";
}

TEST_F(NfcReaderTest, CancelFromAnotherThreadEndsTheWait) {
  auto reader = Open();
  ASSERT_TRUE(reader);
  EXPECT_EQ(WaitCancelledFromAnotherThread(*reader).status().code(), StatusCode::kCancelled);
  // The reader is still good after a cancel.
  emulator_.Tap(EmulatedCard::Ntag213WithText(kUid, "1"));
  auto next = reader->WaitForCard(2s);
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_EQ(next->card.value(), kUidHex);
}

TEST_F(NfcReaderTest, CancelMadeWhileNothingWaitsEndsTheNextWaitOnly) {
  auto reader = Open();
  ASSERT_TRUE(reader);
  reader->Cancel();
  EXPECT_EQ(reader->WaitForCard(20s).status().code(), StatusCode::kCancelled);
  EXPECT_EQ(reader->WaitForCard(100ms).status().code(), StatusCode::kTimeout);
}

// The reader unplugged and not back: Start() fails, and a wait says "not
// open". A cancel made then (Ctrl-C at the till) ends the next wait instead
// of being dropped; it used to be, and the till never stopped.
TEST_F(NfcReaderTest, CancelWhileTheReaderIsGoneIsNotLost) {
  auto reader = Open();
  ASSERT_TRUE(reader);
  emulator_.Unplug();
  EXPECT_EQ(reader->WaitForCard(20s).status().code(), StatusCode::kDeviceGone);
  EXPECT_EQ(reader->Start().code(), StatusCode::kDeviceGone);
  reader->Cancel();
  EXPECT_EQ(reader->WaitForCard(20s).status().code(), StatusCode::kCancelled);
  EXPECT_EQ(reader->WaitForCard(20s).status().code(), StatusCode::kDeviceGone);
}

TEST_F(NfcReaderTest, HeldCardWaitEndsByCancelAndByTimeout) {
  auto reader = Open();
  ASSERT_TRUE(reader);
  emulator_.Tap(EmulatedCard::Ntag213WithText(kUid, "1"));
  ASSERT_TRUE(reader->WaitForCard(20s).ok());
  EXPECT_EQ(WaitCancelledFromAnotherThread(*reader).status().code(), StatusCode::kCancelled);
  reader->Cancel();
  EXPECT_EQ(reader->WaitForCard(20s).status().code(), StatusCode::kCancelled);
  Stopwatch watch;
  EXPECT_EQ(reader->WaitForCard(200ms).status().code(), StatusCode::kTimeout);
  EXPECT_LT(watch.ms(), 10'000) << "safety limit";
}

// A card whose every read is cut short (bad checksum each time), held on
// the reader: one bad read for the presentation, then quiet retries; the
// wait's timeout and a cancel still end the wait; the retry that finally
// succeeds gives the card; the next presentation is reported again.
TEST_F(NfcReaderTest, CardThatKeepsFailingIsOneBadReadPerPresentation) {
  auto reader = Open("&ndef=1");
  ASSERT_TRUE(reader);
  emulator_.InjectFault(Pn532Fault::kBadChecksum, kInDataExchange, -1);
  emulator_.Tap(EmulatedCard::Ntag213WithText(kUid, "9900123456789017"));
  auto bad = reader->WaitForCard(20s);
  ASSERT_TRUE(bad.ok()) << bad.status().ToString();
  EXPECT_EQ(bad->status.code(), StatusCode::kBadRead);
  const int reads = emulator_.CommandCount(kInDataExchange);

  Stopwatch watch;
  EXPECT_EQ(reader->WaitForCard(300ms).status().code(), StatusCode::kTimeout);
  EXPECT_GE(watch.ms(), 299) << "not before its time";
  EXPECT_LT(watch.ms(), 10'000) << "safety limit";
  EXPECT_GT(emulator_.CommandCount(kInDataExchange), reads) << "it kept trying the card";
  EXPECT_EQ(WaitCancelledFromAnotherThread(*reader).status().code(), StatusCode::kCancelled);
  reader->Cancel();
  EXPECT_EQ(reader->WaitForCard(20s).status().code(), StatusCode::kCancelled);
  EXPECT_EQ(CountLines(log_.all(), "bad read"), 1) << log_.all();

  emulator_.ClearFaults();  // held still, the card reads
  auto good = reader->WaitForCard(20s);
  ASSERT_TRUE(good.ok()) << good.status().ToString();
  ASSERT_TRUE(good->status.ok()) << good->status.ToString();
  EXPECT_EQ(good->card.value(), "9900123456789017");

  emulator_.Remove();
  EXPECT_EQ(reader->WaitForCard(100ms).status().code(), StatusCode::kTimeout);
  emulator_.InjectFault(Pn532Fault::kBadChecksum, kInDataExchange, -1);
  emulator_.Tap(EmulatedCard::Ntag213WithText(kUid, "9900123456789017"));
  auto again = reader->WaitForCard(20s);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->status.code(), StatusCode::kBadRead) << "a new presentation";
  EXPECT_EQ(CountLines(log_.all(), "bad read"), 2) << log_.all();
}

TEST_F(NfcReaderTest, CardHeldOnTheReaderIsReportedOnce) {
  auto reader = Open();
  ASSERT_TRUE(reader);
  emulator_.Tap(EmulatedCard::Ntag213WithText(kUid, "1"));
  auto first = reader->WaitForCard(2s);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(reader->WaitForCard(300ms).status().code(), StatusCode::kTimeout)
      << "the same card, still there, is not a new tap";
  emulator_.Remove();
  EXPECT_EQ(reader->WaitForCard(100ms).status().code(), StatusCode::kTimeout);
  emulator_.Tap(EmulatedCard::Ntag213WithText(kUid, "1"));
  auto again = reader->WaitForCard(2s);
  ASSERT_TRUE(again.ok()) << "taken away and tapped again: a new read";
  EXPECT_EQ(again->card.value(), kUidHex);
}

TEST_F(NfcReaderTest, CardRemovedAndRetappedBetweenWaitsIsReportedAgain) {
  auto reader = Open();
  ASSERT_TRUE(reader);
  emulator_.Tap(EmulatedCard::Ntag213WithText(kUid, "1"));
  ASSERT_TRUE(reader->WaitForCard(2s).ok());
  // While the POS is busy elsewhere the customer lifts the card and taps it
  // again: it left the field, so it is a new tap.
  emulator_.Remove();
  emulator_.Tap(EmulatedCard::Ntag213WithText(kUid, "1"));
  auto again = reader->WaitForCard(2s);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
}

TEST_F(NfcReaderTest, HeldMifareClassicIsReportedOnceToo) {
  // libnfc checks a MIFARE Classic's presence by selecting its UID again,
  // not by reading a page as for NTAG.
  auto reader = Open();
  ASSERT_TRUE(reader);
  emulator_.Tap(EmulatedCard::MifareClassic({0xDE, 0xAD, 0xBE, 0xEF}));
  auto first = reader->WaitForCard(2s);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->card.value(), "DEADBEEF");
  EXPECT_EQ(reader->WaitForCard(300ms).status().code(), StatusCode::kTimeout);
  emulator_.Tap(EmulatedCard::MifareClassic({0x01, 0x02, 0x03, 0x04}));
  auto other = reader->WaitForCard(2s);
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  EXPECT_EQ(other->card.value(), "01020304");
}

TEST_F(NfcReaderTest, AnotherCardReplacingTheHeldOneIsReported) {
  auto reader = Open();
  ASSERT_TRUE(reader);
  emulator_.Tap(EmulatedCard::Ntag213WithText(kUid, "1"));
  ASSERT_TRUE(reader->WaitForCard(2s).ok());
  emulator_.Tap(EmulatedCard::Ntag213WithText(kOtherUid, "1"));
  auto read = reader->WaitForCard(2s);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->card.value(), "04112233445566");
}

TEST_F(NfcReaderTest, NdefTextRecordCarriesTheLoyaltyNumber) {
  auto reader = Open("&ndef=1");
  ASSERT_TRUE(reader);
  emulator_.Tap(EmulatedCard::Ntag213WithText(kUid, "9900123456789017"));
  auto read = reader->WaitForCard(2s);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  ASSERT_TRUE(read->status.ok()) << read->status.ToString();
  EXPECT_EQ(read->card.value(), "9900123456789017");
  EXPECT_EQ(read->source, CardSource::kNfcNdef);
  EXPECT_EQ(log_.all().find("9900123456789017"), std::string::npos) << "masked in the log";
}

TEST_F(NfcReaderTest, LongNdefUriSpanningManyPages) {
  auto reader = Open("&ndef=1");
  ASSERT_TRUE(reader);
  std::string rest = "loyalty.example.com/members/cards/9900123456789017";
  std::vector<std::uint8_t> record = {0xD1, 0x01, static_cast<std::uint8_t>(1 + rest.size()), 'U',
                                      0x04};
  for (char c : rest) record.push_back(static_cast<std::uint8_t>(c));
  emulator_.Tap(EmulatedCard::Ntag213(kUid, record));
  auto read = reader->WaitForCard(2s);
  ASSERT_TRUE(read.ok() && read->status.ok()) << read->status.ToString();
  EXPECT_EQ(read->card.value(), "9900123456789017");
  EXPECT_GE(emulator_.CommandCount(kInDataExchange), 4) << "read beyond the first pages";
}

TEST_F(NfcReaderTest, BlankTagWithNdefOnGivesTheUid) {
  auto reader = Open("&ndef=1");
  ASSERT_TRUE(reader);
  emulator_.Tap(EmulatedCard::Ntag213(kUid, {}));
  auto read = reader->WaitForCard(2s);
  ASSERT_TRUE(read.ok() && read->status.ok());
  EXPECT_EQ(read->card.value(), kUidHex);
  EXPECT_EQ(read->source, CardSource::kNfcUid);
}

TEST_F(NfcReaderTest, NdefTextThatIsNotANumberIsABadRead) {
  auto reader = Open("&ndef=1");
  ASSERT_TRUE(reader);
  emulator_.Tap(EmulatedCard::Ntag213WithText(kUid, "hello, world!"));
  auto read = reader->WaitForCard(2s);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->status.code(), StatusCode::kBadRead);
  EXPECT_TRUE(read->card.empty());
}

TEST_F(NfcReaderTest, BadChecksumDuringTheReadIsABadReadAndTheCardReadsNextTime) {
  auto reader = Open("&ndef=1");
  ASSERT_TRUE(reader);
  emulator_.InjectFault(Pn532Fault::kBadChecksum, kInDataExchange);
  emulator_.Tap(EmulatedCard::Ntag213WithText(kUid, "9900123456789017"));
  auto bad = reader->WaitForCard(2s);
  ASSERT_TRUE(bad.ok()) << bad.status().ToString();
  EXPECT_EQ(bad->status.code(), StatusCode::kBadRead);
  EXPECT_NE(bad->status.message().find("tap again"), std::string::npos);
  auto good = reader->WaitForCard(2s);
  ASSERT_TRUE(good.ok()) << good.status().ToString();
  ASSERT_TRUE(good->status.ok()) << good->status.ToString();
  EXPECT_EQ(good->card.value(), "9900123456789017");
}

TEST_F(NfcReaderTest, ErrorFrameWhilePollingIsRecoveredAndLogged) {
  auto reader = Open();
  ASSERT_TRUE(reader);
  emulator_.InjectFault(Pn532Fault::kErrorFrame, kInListPassiveTarget);
  emulator_.Tap(EmulatedCard::Ntag213WithText(kUid, "1"));
  auto read = reader->WaitForCard(2s);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->card.value(), kUidHex);
  EXPECT_NE(log_.all().find("re-initialising"), std::string::npos) << log_.all();
}

TEST_F(NfcReaderTest, OneLostAnswerIsRecovered) {
  auto reader = Open();
  ASSERT_TRUE(reader);
  emulator_.InjectFault(Pn532Fault::kNoAnswer, kInListPassiveTarget);
  emulator_.Tap(EmulatedCard::Ntag213WithText(kUid, "1"));
  auto read = reader->WaitForCard(3s);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->card.value(), kUidHex);
}

TEST_F(NfcReaderTest, ChipThatKeepsSendingErrorsIsAnIoError) {
  auto reader = Open();
  ASSERT_TRUE(reader);
  emulator_.InjectFault(Pn532Fault::kErrorFrame, kInListPassiveTarget, -1);
  auto read = reader->WaitForCard(5s);
  EXPECT_EQ(read.status().code(), StatusCode::kIoError);
  EXPECT_NE(read.status().message().find("keeps failing"), std::string::npos);
}

TEST_F(NfcReaderTest, ChipThatStopsAnsweringIsDeviceGoneThenStartReopens) {
  auto reader = Open();
  ASSERT_TRUE(reader);
  emulator_.InjectFault(Pn532Fault::kSilent, Pn532Emulator::kAnyCommand, -1);
  Stopwatch watch;
  auto read = reader->WaitForCard(10s);
  EXPECT_EQ(read.status().code(), StatusCode::kDeviceGone);
  EXPECT_LT(watch.ms(), 10'000) << "safety limit";
  EXPECT_EQ(reader->WaitForCard(10ms).status().code(), StatusCode::kDeviceGone);
  emulator_.ClearFaults();
  ASSERT_TRUE(reader->Start().ok());
  emulator_.Tap(EmulatedCard::Ntag213WithText(kUid, "1"));
  auto after = reader->WaitForCard(2s);
  ASSERT_TRUE(after.ok()) << after.status().ToString();
}

TEST_F(NfcReaderTest, DeadReaderAtStartIsDeviceGoneNamingThePort) {
  emulator_.InjectFault(Pn532Fault::kSilent, Pn532Emulator::kAnyCommand, -1);
  auto reader = OpenReader(emulator_.connstring());
  ASSERT_TRUE(reader.ok());
  Status started = (*reader)->Start();
  EXPECT_EQ(started.code(), StatusCode::kDeviceGone);
  EXPECT_NE(started.message().find(emulator_.connstring()), std::string::npos)
      << started.message();
}

TEST_F(NfcReaderTest, UnpluggedDuringAWaitIsDeviceGoneThenReopens) {
  auto reader = Open();
  ASSERT_TRUE(reader);
  std::thread unplug([&] {
    std::this_thread::sleep_for(100ms);
    emulator_.Unplug();
  });
  Stopwatch watch;
  auto read = reader->WaitForCard(10s);
  unplug.join();
  EXPECT_EQ(read.status().code(), StatusCode::kDeviceGone) << read.status().ToString();
  EXPECT_LT(watch.ms(), 10'000) << "safety limit";
  EXPECT_EQ(reader->Start().code(), StatusCode::kDeviceGone) << "still unplugged";
  emulator_.Replug();
  ASSERT_TRUE(reader->Start().ok());
  emulator_.Tap(EmulatedCard::Ntag213WithText(kUid, "1"));
  auto after = reader->WaitForCard(2s);
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_EQ(after->card.value(), kUidHex);
}

TEST_F(NfcReaderTest, SequentialOpensOfTheSamePort) {
  for (int i = 0; i < 3; ++i) {
    auto reader = Open();
    ASSERT_TRUE(reader);
    emulator_.Tap(EmulatedCard::Ntag213WithText(i % 2 ? kUid : kOtherUid, "1"));
    auto read = reader->WaitForCard(2s);
    ASSERT_TRUE(read.ok()) << "open " << i << ": " << read.status().ToString();
    emulator_.Remove();
    reader->Close();
  }
}

TEST_F(NfcReaderTest, DescribeIsTheConnectionString) {
  auto reader = Open();
  ASSERT_TRUE(reader);
  EXPECT_EQ(reader->Describe(), emulator_.connstring() + "?poll_ms=20");
}

TEST(NfcReader, BadOptionsAreRefusedAtOpen) {
  EXPECT_EQ(OpenReader("pn532_uart:/dev/ttyUSB0?ndef=maybe").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(OpenReader("pn532_uart:/dev/ttyUSB0?poll_ms=0").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(OpenReader("pn532_uart:/dev/ttyUSB0?colour=red").status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace loyalty
