// The C ABI of libloyalty.so with its real readers, as a POS in C, C# or
// Python sees it: a card on the simulated reader through a whole checkout,
// and NTAG 424 DNA secure taps (libnfc's pn532_uart driver against the
// emulated PN532) with the keys and the replay memory given through
// loyalty_reader_options. Only loyalty.h is used against the library; the
// emulator and the test card are the test's own.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstring>
#include <fstream>
#include <string>

#include "capi_results.hpp"
#include "loyalty/loyalty.h"
#include "reader_test_util.hpp"
#include "ntag424_card.hpp"
#include "pn532_emulator.hpp"

namespace {

using loyalty::testing::FilledSunKey;
using loyalty::testing::Ntag424;
using loyalty::testing::Pn532Emulator;

const std::vector<std::uint8_t> kUid = {0x04, 0xDE, 0x5F, 0x1E, 0xAC, 0xC0, 0x40};
constexpr char kUidHex[] = "04DE5F1EACC040";

using loyalty::capi_testing::Int;
using loyalty::capi_testing::Owned;
using loyalty::capi_testing::Str;
using Scratch = loyalty::readers::testing::ScratchDir;

loyalty_terminal* OpenTill(const Scratch& dir) {
  const std::string program = dir.File("program.json");
  std::ofstream(program) << R"({"format": 1, "id": "so", "version": 1, "currency": "EUR",
    "earn": {"points": 1, "per": "1.00"}})";
  const std::string db = dir.File("ledger.db");
  const std::string key(32, 'k');
  loyalty_options* options = nullptr;
  EXPECT_EQ(loyalty_options_new(&options), LOYALTY_OK);
  loyalty_options_set_database_path(options, db.c_str());
  loyalty_options_set_terminal_id(options, "till-so");
  loyalty_options_set_terminal_key(options, key.data(), key.size());
  loyalty_options_set_program_path(options, program.c_str());
  loyalty_terminal* till = nullptr;
  EXPECT_EQ(loyalty_open(options, &till), LOYALTY_OK) << loyalty_last_error();
  loyalty_options_free(options);
  return till;
}

TEST(SharedLibraryReaderTest, ASwipeOnTheSimulatedReaderRunsTheWholeCheckout) {
  Scratch dir;
  loyalty_terminal* till = OpenTill(dir);
  ASSERT_NE(till, nullptr);
  loyalty_reader* reader = nullptr;
  ASSERT_EQ(loyalty_reader_open("sim:cards=LC-0042,bad track 2: LRC mismatch; swipe again,LC-0042",
                                &reader),
            LOYALTY_OK)
      << loyalty_last_error();

  // A new customer: the till does not know the card yet, so it enrols it.
  Owned read;
  ASSERT_EQ(loyalty_reader_wait(reader, 1000, read.out()), LOYALTY_OK) << loyalty_last_error();
  EXPECT_EQ(Str(read.get(), LOYALTY_READ_SOURCE_NAME), "simulated");
  const std::string card = Str(read.get(), LOYALTY_READ_CARD);
  Owned unknown;
  EXPECT_EQ(loyalty_identify(till, read.get(), unknown.out()), LOYALTY_UNKNOWN_CARD);
  Owned enrolled;
  ASSERT_EQ(loyalty_enroll(till, "e-1", card.c_str(), nullptr, "Ada", "maria", enrolled.out()),
            LOYALTY_OK)
      << loyalty_last_error();
  Owned view;
  ASSERT_EQ(loyalty_identify(till, read.get(), view.out()), LOYALTY_OK) << loyalty_last_error();
  EXPECT_EQ(Str(view.get(), LOYALTY_CARD_NAME), "Ada");

  loyalty_basket* basket = nullptr;
  ASSERT_EQ(loyalty_basket_new("EUR", &basket), LOYALTY_OK);
  ASSERT_EQ(loyalty_basket_add_line(basket, "4011", "fruit", 1, 1240), LOYALTY_OK);
  ASSERT_EQ(loyalty_basket_add_line(basket, "7310", "dairy", 2, 398), LOYALTY_OK);
  Owned quote;
  ASSERT_EQ(loyalty_quote(till, card.c_str(), basket, quote.out()), LOYALTY_OK);
  EXPECT_EQ(Int(quote.get(), LOYALTY_QUOTE_POINTS_TO_EARN), 16);
  Owned receipt;
  ASSERT_EQ(loyalty_commit(till, "R-1", card.c_str(), basket, "maria", receipt.out()),
            LOYALTY_OK)
      << loyalty_last_error();
  EXPECT_EQ(Int(receipt.get(), LOYALTY_RECEIPT_EARNED), 16);
  loyalty_basket_free(basket);

  // A torn swipe says why; the next swipe shows the points.
  Owned torn;
  EXPECT_EQ(loyalty_reader_wait(reader, 1000, torn.out()), LOYALTY_BAD_READ);
  EXPECT_STREQ(loyalty_last_error(), "track 2: LRC mismatch; swipe again");
  Owned again;
  ASSERT_EQ(loyalty_reader_wait(reader, 1000, again.out()), LOYALTY_OK);
  Owned after;
  ASSERT_EQ(loyalty_identify(till, again.get(), after.out()), LOYALTY_OK);
  EXPECT_EQ(Int(after.get(), LOYALTY_CARD_BALANCE), 16);
  loyalty_reader_close(reader);
  loyalty_close(till);
}

// The POS's key store: one card issued.
int FileKey(void* user, const char* uid_hex, uint8_t key_out[16]) {
  ++*static_cast<int*>(user);
  if (std::strcmp(uid_hex, kUidHex) != 0) return 0;
  const auto key = FilledSunKey(0x22);
  std::memcpy(key_out, key.data(), key.size());
  return 1;
}

class SharedLibrarySunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv("LIBNFC_AUTO_SCAN", "false", 1);
    ::setenv("LIBNFC_LOG_LEVEL", "0", 1);
  }

  loyalty_reader* Open() {
    loyalty_reader_options* options = nullptr;
    EXPECT_EQ(loyalty_reader_options_new(&options), LOYALTY_OK);
    const auto meta = FilledSunKey(0x11);
    EXPECT_EQ(loyalty_reader_options_set_sun(options, meta.data(), FileKey, &key_calls_,
                                             dir_.File("sun-counters.db").c_str()),
              LOYALTY_OK)
        << loyalty_last_error();
    loyalty_reader* reader = nullptr;
    const std::string connection = emulator_.connstring() + "?sun=1&poll_ms=20";
    EXPECT_EQ(loyalty_reader_open_with(connection.c_str(), options, &reader), LOYALTY_OK)
        << loyalty_last_error();
    loyalty_reader_options_free(options);  // the reader keeps what it needs
    return reader;
  }

  Scratch dir_;
  Pn532Emulator emulator_{dir_.File("ttyNFC")};
  int key_calls_ = 0;
};

TEST_F(SharedLibrarySunTest, GenuineTapReadsClonedAndReplayedTapsAreRefused) {
  loyalty_reader* reader = Open();
  ASSERT_NE(reader, nullptr);
  Ntag424 genuine(kUid, FilledSunKey(0x11), FilledSunKey(0x22));
  emulator_.Tap(genuine.Card());
  Owned read;
  ASSERT_EQ(loyalty_reader_wait(reader, 2000, read.out()), LOYALTY_OK) << loyalty_last_error();
  EXPECT_EQ(Str(read.get(), LOYALTY_READ_CARD), kUidHex);
  EXPECT_EQ(Int(read.get(), LOYALTY_READ_SOURCE), LOYALTY_SOURCE_NFC_SUN);
  EXPECT_GT(key_calls_, 0) << "the POS's key callback was asked";
  const std::string recorded = genuine.last_url();
  emulator_.Remove();

  // A copy replays the recorded tap while the reader is still open.
  Ntag424 early_copy(kUid, FilledSunKey(0x11), FilledSunKey(0x22));
  early_copy.Replay(recorded);
  emulator_.Tap(early_copy.Card());
  Owned early_replay;
  EXPECT_EQ(loyalty_reader_wait(reader, 2000, early_replay.out()), LOYALTY_BAD_READ);
  EXPECT_NE(std::string(loyalty_last_error()).find("seen before"), std::string::npos)
      << loyalty_last_error();
  emulator_.Remove();

  // A clone with a forged MAC.
  Ntag424 forged(kUid, FilledSunKey(0x11), FilledSunKey(0x22));
  forged.TamperMac();
  emulator_.Tap(forged.Card());
  Owned refused;
  EXPECT_EQ(loyalty_reader_wait(reader, 2000, refused.out()), LOYALTY_BAD_READ);
  EXPECT_NE(std::string(loyalty_last_error()).find("does not verify"), std::string::npos)
      << loyalty_last_error();
  emulator_.Remove();

  // The till restarts; a copy replays the recorded tap: still refused.
  loyalty_reader_close(reader);
  reader = Open();
  ASSERT_NE(reader, nullptr);
  Ntag424 copy(kUid, FilledSunKey(0x11), FilledSunKey(0x22));
  copy.Replay(recorded);
  emulator_.Tap(copy.Card());
  Owned replayed;
  EXPECT_EQ(loyalty_reader_wait(reader, 2000, replayed.out()), LOYALTY_BAD_READ);
  EXPECT_NE(std::string(loyalty_last_error()).find("seen before"), std::string::npos)
      << loyalty_last_error();
  loyalty_reader_close(reader);
}

TEST_F(SharedLibrarySunTest, SecureReadsNeedTheKeysAndAWritableCounterFile) {
  loyalty_reader* reader = nullptr;
  const std::string connection = emulator_.connstring() + "?sun=1";
  EXPECT_EQ(loyalty_reader_open_with(connection.c_str(), nullptr, &reader),
            LOYALTY_INVALID_ARGUMENT);
  EXPECT_EQ(reader, nullptr);
  loyalty_reader_options* options = nullptr;
  ASSERT_EQ(loyalty_reader_options_new(&options), LOYALTY_OK);
  const auto meta = FilledSunKey(0x11);
  EXPECT_EQ(loyalty_reader_options_set_sun(options, meta.data(), FileKey, &key_calls_,
                                           "/nonexistent-dir/sun.db"),
            LOYALTY_IO_ERROR);
  EXPECT_NE(std::string(loyalty_last_error()).find("/nonexistent-dir/sun.db"),
            std::string::npos);
  EXPECT_EQ(loyalty_reader_options_set_sun(options, meta.data(), nullptr, nullptr, "x.db"),
            LOYALTY_INVALID_ARGUMENT);
  EXPECT_STREQ(loyalty_last_error(), "file_key: is NULL");
  loyalty_reader_options_free(options);
}

}  // namespace
