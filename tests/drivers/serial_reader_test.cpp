// The serial swipe reader on a pseudo-terminal: the test holds the master
// side, the reader opens the slave path as it would /dev/ttyUSB0.
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <thread>

#include "loyalty/reader.hpp"
#include "reader_test_util.hpp"

namespace loyalty {
namespace {

using namespace std::chrono_literals;

class SerialReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(pty_.ok());
    auto reader = OpenReader("magstripe-serial:" + pty_.path() + ":9600?gap_ms=40");
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    reader_ = std::move(reader).value();
    ASSERT_TRUE(reader_->Start().ok());
  }
  void TearDown() override { reader_.reset(); }
  void Send(std::string_view bytes) { ASSERT_TRUE(pty_.Write(bytes)); }

  readers::testing::Pty pty_;
  std::unique_ptr<CardReader> reader_;
};

TEST_F(SerialReaderTest, SwipeEndedByCarriageReturn) {
  Send("%B9900123456789017^MEMBER/GOLD^^^?;9900123456789017=?\r");
  auto read = reader_->WaitForCard(2s);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  ASSERT_TRUE(read->status.ok()) << read->status.ToString();
  EXPECT_EQ(read->card.value(), "9900123456789017");
  EXPECT_EQ(read->source, CardSource::kMagstripeTrack2);
}

TEST_F(SerialReaderTest, StxEtxFramingAndLineFeed) {
  Send("\x02;9900000000000002?\x03");
  Send(";9900123456789017=?\n");
  auto first = reader_->WaitForCard(2s);
  auto second = reader_->WaitForCard(2s);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->card.value(), "9900000000000002");
  EXPECT_EQ(second->card.value(), "9900123456789017");
}

TEST_F(SerialReaderTest, ReaderThatSendsTheLrc) {
  Send(";9900000000000002?6\r");  // '6' is this track's LRC
  auto good = reader_->WaitForCard(2s);
  Send(";9900000000000002?7\r");
  auto bad = reader_->WaitForCard(2s);
  ASSERT_TRUE(good.ok() && bad.ok());
  EXPECT_TRUE(good->status.ok()) << good->status.ToString();
  EXPECT_EQ(bad->status.code(), StatusCode::kBadRead);
  EXPECT_NE(bad->status.message().find("track 2: LRC mismatch"), std::string::npos);
}

TEST_F(SerialReaderTest, TornSwipeEndsAfterThePauseAsABadRead) {
  Send(";99001234");
  auto read = reader_->WaitForCard(60s);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->status.code(), StatusCode::kBadRead);
  EXPECT_NE(read->status.message().find("torn"), std::string::npos);
}

TEST_F(SerialReaderTest, LineNoiseIsABadRead) {
  Send("\xff\xfe garbage\r");
  auto read = reader_->WaitForCard(2s);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->status.code(), StatusCode::kBadRead);
}

TEST_F(SerialReaderTest, OverlongInputIsABadReadNotACrash) {
  Send(std::string(2000, '9') + "\r;9900000000000002?\r");
  auto first = reader_->WaitForCard(2s);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->status.code(), StatusCode::kBadRead);
  // The reader recovers: a later good swipe reads.
  Result<CardRead> next = Status(StatusCode::kInternal, "none");
  for (int i = 0; i < 8; ++i) {
    next = reader_->WaitForCard(500ms);
    if (next.ok() && next->status.ok()) break;
  }
  ASSERT_TRUE(next.ok() && next->status.ok());
  EXPECT_EQ(next->card.value(), "9900000000000002");
}

TEST_F(SerialReaderTest, CancelFromAnotherThread) {
  std::thread canceller([&] {
    std::this_thread::sleep_for(50ms);
    reader_->Cancel();
  });
  auto read = reader_->WaitForCard(600s);
  canceller.join();
  EXPECT_EQ(read.status().code(), StatusCode::kCancelled);
}

TEST_F(SerialReaderTest, PortClosedIsDeviceGone) {
  pty_.Close();
  auto read = reader_->WaitForCard(2s);
  EXPECT_EQ(read.status().code(), StatusCode::kDeviceGone);
  // The pty is gone for good: Start() says so and names the port.
  Status again = reader_->Start();
  EXPECT_EQ(again.code(), StatusCode::kDeviceGone);
  EXPECT_NE(again.message().find(pty_.path()), std::string::npos);
}

TEST(SerialReader, SpeedTermiosLacksIsRefused) {
  auto reader = OpenReader("magstripe-serial:/dev/ttyS0:12345");
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*reader)->Start().code(), StatusCode::kInvalidArgument);
}

TEST(SerialReader, SpeedThatIsNotANumberIsRefused) {
  auto reader = OpenReader("magstripe-serial:/dev/ttyS0:fast");
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace loyalty
