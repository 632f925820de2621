// The keyboard-wedge reader fed real struct input_event records through a
// FIFO, as /dev/input/eventN would deliver them.
#include <fcntl.h>
#include <linux/input.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <map>
#include <thread>
#include <utility>

#include "loyalty/reader.hpp"
#include "reader_test_util.hpp"

namespace loyalty {
namespace {

using namespace std::chrono_literals;
using readers::testing::LogCapture;
using readers::testing::ScratchDir;
using readers::testing::Stopwatch;

constexpr char kSwipe[] = "%B9900123456789017^MEMBER/GOLD^^^?;9900123456789017=?";

// How a US keyboard types each character: key code and shift. Written out
// here, independently of the driver's own table.
std::pair<unsigned short, bool> KeyFor(char c) {
  static const std::map<char, std::pair<unsigned short, bool>> keys = [] {
    std::map<char, std::pair<unsigned short, bool>> m;
    const unsigned short digits[] = {KEY_0, KEY_1, KEY_2, KEY_3, KEY_4,
                                     KEY_5, KEY_6, KEY_7, KEY_8, KEY_9};
    for (int d = 0; d < 10; ++d) m[static_cast<char>('0' + d)] = {digits[d], false};
    const char* letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    const unsigned short codes[] = {KEY_A, KEY_B, KEY_C, KEY_D, KEY_E, KEY_F, KEY_G,
                                    KEY_H, KEY_I, KEY_J, KEY_K, KEY_L, KEY_M, KEY_N,
                                    KEY_O, KEY_P, KEY_Q, KEY_R, KEY_S, KEY_T, KEY_U,
                                    KEY_V, KEY_W, KEY_X, KEY_Y, KEY_Z};
    for (int i = 0; i < 26; ++i) m[letters[i]] = {codes[i], true};
    m['%'] = {KEY_5, true};
    m['^'] = {KEY_6, true};
    m['?'] = {KEY_SLASH, true};
    m[';'] = {KEY_SEMICOLON, false};
    m['='] = {KEY_EQUAL, false};
    m['+'] = {KEY_EQUAL, true};
    m['/'] = {KEY_SLASH, false};
    m[' '] = {KEY_SPACE, false};
    m['\r'] = {KEY_ENTER, false};
    return m;
  }();
  return keys.at(c);
}

std::vector<input_event> Type(std::string_view text) {
  std::vector<input_event> events;
  auto add = [&](unsigned short type, unsigned short code, int value) {
    input_event e{};
    e.type = type;
    e.code = code;
    e.value = value;
    events.push_back(e);
  };
  for (char c : text) {
    auto [code, shift] = KeyFor(c);
    if (shift) add(EV_KEY, KEY_LEFTSHIFT, 1);
    add(EV_MSC, MSC_SCAN, 0x70000);
    add(EV_KEY, code, 1);
    add(EV_SYN, SYN_REPORT, 0);
    add(EV_KEY, code, 0);
    if (shift) add(EV_KEY, KEY_LEFTSHIFT, 0);
    add(EV_SYN, SYN_REPORT, 0);
  }
  return events;
}

class EvdevReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(::mkfifo(fifo_.c_str(), 0600), 0);
    Open("?gap_ms=40");
  }

  void Open(const std::string& options) {
    ReaderOptions reader_options;
    reader_options.log = log_.fn();
    auto reader = OpenReader("magstripe-evdev:" + fifo_ + options, reader_options);
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    reader_ = std::move(reader).value();
    ASSERT_TRUE(reader_->Start().ok());
    writer_ = ::open(fifo_.c_str(), O_WRONLY | O_CLOEXEC);
    ASSERT_GE(writer_, 0);
  }

  // The same FIFO, a reader with other options.
  void Reopen(const std::string& options) {
    if (writer_ >= 0) ::close(writer_);
    writer_ = -1;
    reader_.reset();
    Open(options);
  }

  void TearDown() override {
    if (writer_ >= 0) ::close(writer_);
  }

  void Send(const std::vector<input_event>& events) {
    auto bytes = reinterpret_cast<const char*>(events.data());
    size_t size = events.size() * sizeof(input_event);
    ASSERT_EQ(::write(writer_, bytes, size), static_cast<ssize_t>(size));
  }

  ScratchDir dir_;
  std::string fifo_ = dir_.File("event0");
  LogCapture log_;
  std::unique_ptr<CardReader> reader_;
  int writer_ = -1;
};

TEST_F(EvdevReaderTest, SwipeEndedByEnterIsRead) {
  // A pause of 5 s: the read can only come before it if Enter ended it.
  Reopen("?gap_ms=5000");
  Send(Type(std::string(kSwipe) + "\r"));
  Stopwatch watch;
  auto read = reader_->WaitForCard(60s);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  ASSERT_TRUE(read->status.ok()) << read->status.ToString();
  EXPECT_EQ(read->card.value(), "9900123456789017");
  EXPECT_EQ(read->source, CardSource::kMagstripeTrack2);
  EXPECT_LT(watch.ms(), 5000) << "Enter ends the swipe without waiting for the gap";
}

TEST_F(EvdevReaderTest, SwipeWithoutEnterEndsAfterThePause) {
  Send(Type(";9900000000000002?"));
  Stopwatch watch;
  auto read = reader_->WaitForCard(60s);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->card.value(), "9900000000000002");
  EXPECT_GE(watch.ms(), 35) << "the swipe ended before the pause";
}

TEST_F(EvdevReaderTest, WedgeErrorSwipeIsABadReadValue) {
  Send(Type("%E?;E?\r"));
  auto read = reader_->WaitForCard(2s);
  ASSERT_TRUE(read.ok()) << "a bad read is a value, not an error";
  EXPECT_EQ(read->status.code(), StatusCode::kBadRead);
  EXPECT_TRUE(read->card.empty());
  EXPECT_NE(read->status.message().find("swipe again"), std::string::npos);
}

TEST_F(EvdevReaderTest, TwoSwipesBackToBackAreTwoReads) {
  Send(Type(";9900000000000002?\r;9900123456789017=?\r"));
  auto first = reader_->WaitForCard(2s);
  auto second = reader_->WaitForCard(2s);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->card.value(), "9900000000000002");
  EXPECT_EQ(second->card.value(), "9900123456789017");
}

TEST_F(EvdevReaderTest, EventRecordsSplitAcrossWrites) {
  // A long pause, so that a slow writer thread cannot end the swipe early.
  Reopen("?gap_ms=5000");
  auto events = Type(";9900000000000002?\r");
  auto bytes = reinterpret_cast<const char*>(events.data());
  size_t size = events.size() * sizeof(input_event);
  size_t cut = sizeof(input_event) * 3 + 7;  // inside a record
  ASSERT_EQ(::write(writer_, bytes, cut), static_cast<ssize_t>(cut));
  std::thread rest([&] {
    std::this_thread::sleep_for(10ms);  // the reader sees the first part alone
    ASSERT_EQ(::write(writer_, bytes + cut, size - cut), static_cast<ssize_t>(size - cut));
  });
  auto read = reader_->WaitForCard(60s);
  rest.join();
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->card.value(), "9900000000000002");
}

TEST_F(EvdevReaderTest, AutoRepeatAndReleasesTypeNothing) {
  auto events = Type(";9900000000000002?\r");
  // A repeat (value 2) of the first '9' must not add a digit.
  input_event repeat{};
  repeat.type = EV_KEY;
  repeat.code = KEY_9;
  repeat.value = 2;
  events.insert(events.begin() + 4, repeat);
  Send(events);
  auto read = reader_->WaitForCard(2s);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->card.value(), "9900000000000002");
}

TEST_F(EvdevReaderTest, NoSwipeTimesOut) {
  Stopwatch watch;
  auto read = reader_->WaitForCard(60ms);
  EXPECT_EQ(read.status().code(), StatusCode::kTimeout);
  EXPECT_GE(watch.ms(), 59);
}

TEST_F(EvdevReaderTest, CancelFromAnotherThreadEndsTheWait) {
  std::thread canceller([&] {
    std::this_thread::sleep_for(50ms);
    reader_->Cancel();
  });
  auto read = reader_->WaitForCard(600s);
  canceller.join();
  EXPECT_EQ(read.status().code(), StatusCode::kCancelled);
}

TEST_F(EvdevReaderTest, CancelWhileNothingWaitsEndsTheNextWaitOnly) {
  // A Ctrl-C that lands while the till shows the last card is not lost.
  reader_->Cancel();
  EXPECT_EQ(reader_->WaitForCard(20s).status().code(), StatusCode::kCancelled);
  Send(Type(";9900000000000002?\r"));
  auto read = reader_->WaitForCard(20s);
  ASSERT_TRUE(read.ok()) << read.status().ToString() << " (the cancel was used up)";
  EXPECT_EQ(read->card.value(), "9900000000000002");
}

TEST_F(EvdevReaderTest, UnpluggedIsDeviceGoneAndStartReopens) {
  ::close(writer_);
  writer_ = -1;
  auto read = reader_->WaitForCard(2s);
  EXPECT_EQ(read.status().code(), StatusCode::kDeviceGone);
  EXPECT_EQ(reader_->WaitForCard(10ms).status().code(), StatusCode::kDeviceGone)
      << "stays gone until Start()";
  ASSERT_TRUE(reader_->Start().ok());
  writer_ = ::open(fifo_.c_str(), O_WRONLY | O_CLOEXEC);
  Send(Type(";9900000000000002?\r"));
  read = reader_->WaitForCard(2s);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->card.value(), "9900000000000002");
}

TEST_F(EvdevReaderTest, LogShowsOnlyTheMaskedNumber) {
  Send(Type(std::string(kSwipe) + "\r%E?\r"));
  ASSERT_TRUE(reader_->WaitForCard(2s).ok());
  ASSERT_TRUE(reader_->WaitForCard(2s).ok());
  std::string log = log_.all();
  EXPECT_EQ(log.find("9900123456789017"), std::string::npos) << log;
  EXPECT_EQ(log.find("MEMBER"), std::string::npos) << log;
  EXPECT_NE(log.find("9017"), std::string::npos) << log;
  EXPECT_NE(log.find("bad read"), std::string::npos) << log;
}

TEST(EvdevReader, MissingDeviceIsDeviceGone) {
  auto reader = OpenReader("magstripe-evdev:/nonexistent/event9");
  ASSERT_TRUE(reader.ok());
  Status s = (*reader)->Start();
  EXPECT_EQ(s.code(), StatusCode::kDeviceGone);
  EXPECT_NE(s.message().find("/nonexistent/event9"), std::string::npos);
}

TEST(EvdevReader, UnknownOptionIsRefusedByName) {
  auto reader = OpenReader("magstripe-evdev:/dev/input/event3?gapms=10");
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(reader.status().message().find("gapms"), std::string::npos);
}

}  // namespace
}  // namespace loyalty
