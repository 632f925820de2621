// The C ABI's reader calls over a CardReader, with a scripted reader in
// place of loyalty::OpenReader (the drivers are tested in tests/drivers):
// a good read, a torn swipe, a timeout, a cancel, and identify.
#include <gtest/gtest.h>

#include <atomic>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include "loyalty/loyalty.h"
#include "loyalty/reader.hpp"
#include "support/test_env.hpp"

namespace loyalty {
namespace {

class ScriptedReader final : public CardReader {
 public:
  Status Start() override { return Status::Ok(); }
  Result<CardRead> WaitForCard(std::chrono::milliseconds timeout) override {
    std::unique_lock<std::mutex> lock(mutex_);
    if (cancelled_) {
      cancelled_ = false;
      return Status(StatusCode::kCancelled, "reader: cancelled");
    }
    if (script_.empty()) {
      return Status(StatusCode::kTimeout,
                    "reader: no card within " + std::to_string(timeout.count()) + " ms");
    }
    CardRead read = script_.front();
    script_.pop_front();
    return read;
  }
  void Cancel() override {
    std::lock_guard<std::mutex> lock(mutex_);
    cancelled_ = true;
  }
  void Close() override {}
  std::string Describe() const override { return "scripted:"; }

  std::mutex mutex_;
  std::deque<CardRead> script_;
  bool cancelled_ = false;
};

}  // namespace

Result<std::unique_ptr<CardReader>> OpenReader(std::string_view connection, ReaderOptions) {
  if (connection != "scripted:") {
    return Status(StatusCode::kInvalidArgument,
                  "connection '" + std::string(connection) + "': no driver matches");
  }
  auto reader = std::make_unique<ScriptedReader>();
  CardRead good;
  good.card = *CardId::Parse("LC0001");
  good.source = CardSource::kMagstripeTrack2;
  good.at = Timestamp(std::chrono::milliseconds(1'767'261'600'000));
  reader->script_.push_back(good);
  CardRead torn;
  torn.source = CardSource::kMagstripeTrack2;
  torn.status = Status(StatusCode::kBadRead, "track 2: parity error; swipe again");
  reader->script_.push_back(torn);
  return std::unique_ptr<CardReader>(std::move(reader));
}

namespace {

TEST(CapiReaderTest, GoodReadBadReadTimeoutCancelAndIdentify) {
  testing::ScratchDir dir;
  loyalty_options* options = nullptr;
  ASSERT_EQ(loyalty_options_new(&options), LOYALTY_OK);
  const std::string db = dir.File("ledger.db");
  const std::string program =
      testing::WriteFile(dir.File("program.json"), testing::DefaultProgramJson());
  loyalty_options_set_database_path(options, db.c_str());
  loyalty_options_set_terminal_id(options, "till-r");
  loyalty_options_set_terminal_key(options, testing::kTestKey.data(), testing::kTestKey.size());
  loyalty_options_set_program_path(options, program.c_str());
  loyalty_terminal* till = nullptr;
  ASSERT_EQ(loyalty_open(options, &till), LOYALTY_OK) << loyalty_last_error();
  loyalty_options_free(options);
  loyalty_result* receipt = nullptr;
  ASSERT_EQ(loyalty_enroll(till, "e1", "LC0001", nullptr, "Ada", nullptr, &receipt), LOYALTY_OK);
  loyalty_result_free(receipt);

  loyalty_reader* reader = nullptr;
  EXPECT_EQ(loyalty_reader_open("nonsense:", &reader), LOYALTY_INVALID_ARGUMENT);
  EXPECT_STREQ(loyalty_last_error(), "connection 'nonsense:': no driver matches");
  ASSERT_EQ(loyalty_reader_open("scripted:", &reader), LOYALTY_OK) << loyalty_last_error();

  loyalty_result* read = nullptr;
  ASSERT_EQ(loyalty_reader_wait(reader, 100, &read), LOYALTY_OK) << loyalty_last_error();
  const char* card = nullptr;
  ASSERT_EQ(loyalty_result_string(read, LOYALTY_READ_CARD, &card), LOYALTY_OK);
  EXPECT_STREQ(card, "LC0001");
  std::int64_t source = -1;
  ASSERT_EQ(loyalty_result_int(read, LOYALTY_READ_SOURCE, &source), LOYALTY_OK);
  EXPECT_EQ(source, LOYALTY_SOURCE_MAGSTRIPE_TRACK2);
  loyalty_result* view = nullptr;
  ASSERT_EQ(loyalty_identify(till, read, &view), LOYALTY_OK) << loyalty_last_error();
  const char* name = nullptr;
  ASSERT_EQ(loyalty_result_string(view, LOYALTY_CARD_NAME, &name), LOYALTY_OK);
  EXPECT_STREQ(name, "Ada");
  loyalty_result* not_shown = nullptr;
  EXPECT_EQ(loyalty_identify(till, view, &not_shown), LOYALTY_INVALID_ARGUMENT);  // not a read
  EXPECT_EQ(not_shown, nullptr);
  loyalty_result_free(view);
  loyalty_result_free(read);

  read = reinterpret_cast<loyalty_result*>(0x1);
  EXPECT_EQ(loyalty_reader_wait(reader, 100, &read), LOYALTY_BAD_READ);
  EXPECT_EQ(read, nullptr);
  EXPECT_STREQ(loyalty_last_error(), "track 2: parity error; swipe again");
  EXPECT_EQ(loyalty_reader_wait(reader, 100, &read), LOYALTY_TIMEOUT);
  std::thread other([&] { EXPECT_EQ(loyalty_reader_cancel(reader), LOYALTY_OK); });
  other.join();
  EXPECT_EQ(loyalty_reader_wait(reader, 100, &read), LOYALTY_CANCELLED);
  EXPECT_EQ(loyalty_reader_wait(reader, -1, &read), LOYALTY_INVALID_ARGUMENT);
  EXPECT_EQ(loyalty_reader_restart(reader), LOYALTY_OK);
  loyalty_reader_close(reader);
  loyalty_close(till);
}

}  // namespace
}  // namespace loyalty
