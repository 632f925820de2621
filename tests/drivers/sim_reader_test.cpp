// The scripted reader: what tests and demos use in place of hardware.
#include "sim/sim_reader.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "reader_test_util.hpp"

namespace loyalty::readers {
namespace {

using namespace std::chrono_literals;
using testing::ScratchDir;

std::unique_ptr<CardReader> Open(const std::string& connection) {
  auto reader = OpenReader(connection);
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  if (!reader.ok()) return nullptr;
  EXPECT_TRUE((*reader)->Start().ok());
  return std::move(reader).value();
}

TEST(SimReader, QueuedCardsComeOutInOrder) {
  auto reader = Open("sim:");
  SimReader* sim = AsSimReader(reader.get());
  ASSERT_NE(sim, nullptr);
  sim->QueueCard("9900 1234-5678 9017");
  sim->QueueBadRead("swipe again");
  auto first = reader->WaitForCard(1s);
  auto second = reader->WaitForCard(1s);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->card.value(), "9900123456789017");
  EXPECT_EQ(first->source, CardSource::kSimulated);
  EXPECT_EQ(second->status.code(), StatusCode::kBadRead);
  EXPECT_EQ(reader->WaitForCard(20ms).status().code(), StatusCode::kTimeout);
}

TEST(SimReader, CardQueuedWhileWaitingWakesTheWait) {
  auto reader = Open("sim:");
  std::thread tap([&] {
    std::this_thread::sleep_for(30ms);
    AsSimReader(reader.get())->QueueCard("9900000000000002");
  });
  auto read = reader->WaitForCard(600s);
  tap.join();
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->card.value(), "9900000000000002");
}

TEST(SimReader, CancelFromAnotherThread) {
  auto reader = Open("sim:");
  std::thread canceller([&] {
    std::this_thread::sleep_for(30ms);
    reader->Cancel();
  });
  auto read = reader->WaitForCard(600s);
  canceller.join();
  EXPECT_EQ(read.status().code(), StatusCode::kCancelled);
}

TEST(SimReader, CancelWithNobodyWaitingEndsTheNextWaitOnly) {
  auto reader = Open("sim:cards=9900000000000002");
  reader->Cancel();
  EXPECT_EQ(reader->WaitForCard(20s).status().code(), StatusCode::kCancelled);
  auto read = reader->WaitForCard(20s);
  ASSERT_TRUE(read.ok()) << read.status().ToString() << " (the cancel was used up)";
  EXPECT_EQ(read->card.value(), "9900000000000002");
}

TEST(SimReader, CancelWhileUnpluggedIsNotLost) {
  auto reader = Open("sim:cards=gone");
  EXPECT_EQ(reader->WaitForCard(20s).status().code(), StatusCode::kDeviceGone);
  reader->Cancel();
  EXPECT_EQ(reader->WaitForCard(20s).status().code(), StatusCode::kCancelled)
      << "not 'not open': the till asked to stop";
  EXPECT_EQ(reader->WaitForCard(20s).status().code(), StatusCode::kDeviceGone);
}

TEST(SimReader, ScriptFileWithPauseBadReadAndUnplug) {
  ScratchDir dir;
  std::string path = dir.File("cards.txt");
  std::ofstream(path) << "# demo till\n9900000000000002\nwait 2000\nbad track 2: LRC mismatch\n"
                         "gone\n9900123456789017\n";
  auto reader = Open("sim:file=" + path);
  auto first = reader->WaitForCard(1s);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->card.value(), "9900000000000002");
  EXPECT_EQ(reader->WaitForCard(10ms).status().code(), StatusCode::kTimeout)
      << "the pause holds back the next event";
  auto bad = reader->WaitForCard(60s);
  ASSERT_TRUE(bad.ok());
  EXPECT_EQ(bad->status.code(), StatusCode::kBadRead);
  EXPECT_EQ(bad->status.message(), "track 2: LRC mismatch");
  EXPECT_EQ(reader->WaitForCard(1s).status().code(), StatusCode::kDeviceGone);
  EXPECT_EQ(reader->WaitForCard(1s).status().code(), StatusCode::kDeviceGone);
  ASSERT_TRUE(reader->Start().ok());
  auto last = reader->WaitForCard(1s);
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last->card.value(), "9900123456789017");
}

TEST(SimReader, NumberThatIsNotACardIdIsABadRead) {
  auto reader = Open("sim:cards=12");
  auto read = reader->WaitForCard(1s);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->status.code(), StatusCode::kBadRead);
}

TEST(SimReader, BadScriptNamesTheLine) {
  ScratchDir dir;
  std::string path = dir.File("cards.txt");
  std::ofstream(path) << "9900000000000002\nwait soon\n";
  auto reader = OpenReader("sim:file=" + path);
  ASSERT_FALSE(reader.ok());
  EXPECT_NE(reader.status().message().find("line 2"), std::string::npos);
  EXPECT_EQ(OpenReader("sim:file=/nonexistent/cards").status().code(), StatusCode::kIoError);
}

TEST(OpenReader, UnknownSchemeIsInvalidArgument) {
  auto reader = OpenReader("smartcard:/dev/foo");
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(reader.status().message().find("smartcard:/dev/foo"), std::string::npos);
}

TEST(OpenReader, LibnfcDriversDebianDoesNotBuildAreUnsupported) {
  EXPECT_EQ(OpenReader("acr122_pcsc:ACS").status().code(), StatusCode::kUnsupported);
}

TEST(OpenReader, WaitBeforeStartIsDeviceGone) {
  auto reader = OpenReader("sim:cards=9900000000000002");
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*reader)->WaitForCard(10ms).status().code(), StatusCode::kDeviceGone);
}

}  // namespace
}  // namespace loyalty::readers
