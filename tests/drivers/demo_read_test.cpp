// `loyalty-demo read` as a cashier runs it, on the emulated PN532 (Debian's
// libnfc pn532_uart driver on a pseudo-terminal): a till that always stops
// when told. Its output goes to a pipe, as to a log file, so a line that is
// not flushed does not show up here either.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "libnfc_env.hpp"
#include "pn532_emulator.hpp"
#include "reader_test_util.hpp"

namespace loyalty {
namespace {

using namespace std::chrono_literals;
using readers::testing::CountLines;
using readers::testing::ScratchDir;
using testing::EmulatedCard;
using testing::Pn532Emulator;
using testing::Pn532Fault;

// libnfc's first command at every open (it wakes the chip with it).
constexpr std::uint8_t kSamConfiguration = 0x14;
// Generous: every step here takes milliseconds; only a till that does not
// stop or does not print takes this long.
constexpr auto kSafety = 10s;

// loyalty-demo running in a child process, its stdout read line by line.
class Demo {
 public:
  explicit Demo(const std::vector<std::string>& args) {
    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(out[1], STDOUT_FILENO);
      int null = ::open("/dev/null", O_WRONLY);
      ::dup2(null, STDERR_FILENO);
      std::vector<char*> argv;
      for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(out[1]);
    out_ = out[0];
  }
  ~Demo() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (out_ >= 0) ::close(out_);
  }

  // Reads until a line containing `text` arrived (true) or the output
  // ended or kSafety passed (false).
  bool WaitFor(const std::string& text) {
    const auto deadline = std::chrono::steady_clock::now() + kSafety;
    while (output_.find(text) == std::string::npos) {
      if (!ReadSome(deadline)) return false;
    }
    return true;
  }
  // Reads to the end of the output and reaps the child: its exit status,
  // or -1 when it did not end within kSafety.
  int WaitForExit() {
    const auto deadline = std::chrono::steady_clock::now() + kSafety;
    while (ReadSome(deadline)) {
    }
    for (;;) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return status;
      }
      if (std::chrono::steady_clock::now() > deadline) return -1;
      ::usleep(10'000);
    }
  }
  void Signal(int signal) const { ::kill(pid_, signal); }
  const std::string& output() const { return output_; }

 private:
  bool ReadSome(std::chrono::steady_clock::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline -
                                                              std::chrono::steady_clock::now());
    if (left.count() <= 0 || out_ < 0) return false;
    pollfd fd{out_, POLLIN, 0};
    if (::poll(&fd, 1, static_cast<int>(left.count())) <= 0) return false;
    char buffer[512];
    ssize_t n = ::read(out_, buffer, sizeof buffer);
    if (n <= 0) return false;
    output_.append(buffer, static_cast<std::size_t>(n));
    return true;
  }

  pid_t pid_ = -1;
  int out_ = -1;
  std::string output_;
};

class DemoReadTest : public ::testing::Test {
 protected:
  Demo Start() {
    return Demo({LOYALTY_DEMO_PATH, "--db", dir_.File("loyalty.db"), "--program",
                 LOYALTY_DEMO_PROGRAMS "/supermarket.json", "read", "--reader",
                 emulator_.connstring() + "?poll_ms=20", "--count", "0", "--timeout-ms",
                 "60000"});
  }

  ScratchDir dir_;
  Pn532Emulator emulator_{dir_.File("ttyNFC")};
};

// The reader unplugged and not coming back (every reopen fails): the till
// says so once, at once, keeps trying, and stops on SIGTERM. It used to
// print "reader gone" twice a second and never stop.
TEST_F(DemoReadTest, StopsOnSigtermWhileTheReaderIsGone) {
  Demo demo = Start();
  ASSERT_TRUE(demo.WaitFor("waiting for a card")) << demo.output();
  emulator_.Unplug();
  ASSERT_TRUE(demo.WaitFor("reader gone")) << "not flushed? " << demo.output();
  // Back on the port but dead: each reopen is seen by the emulator and fails.
  emulator_.InjectFault(Pn532Fault::kSilent, Pn532Emulator::kAnyCommand, -1);
  const int before = emulator_.CommandCount(kSamConfiguration);
  emulator_.Replug();
  auto reopens = [&] { return emulator_.CommandCount(kSamConfiguration) - before; };
  const auto deadline = std::chrono::steady_clock::now() + kSafety;
  while (reopens() < 2 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  ASSERT_GE(reopens(), 2) << "it did not try to reopen the reader";
  demo.Signal(SIGTERM);
  const int status = demo.WaitForExit();
  ASSERT_NE(status, -1) << "still running " << std::chrono::seconds(kSafety).count()
                        << " s after SIGTERM: " << demo.output();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status << "\n" << demo.output();
  EXPECT_NE(demo.output().find("stopped"), std::string::npos) << demo.output();
  EXPECT_EQ(CountLines(demo.output(), "reader gone"), 1) << demo.output();
}

// Ctrl-C while a card is held on the reader, and after it came back.
TEST_F(DemoReadTest, StopsOnCtrlCWithACardHeldAfterTheReaderCameBack) {
  Demo demo = Start();
  ASSERT_TRUE(demo.WaitFor("waiting for a card")) << demo.output();
  emulator_.Unplug();
  ASSERT_TRUE(demo.WaitFor("reader gone")) << demo.output();
  emulator_.Replug();
  ASSERT_TRUE(demo.WaitFor("reader back")) << demo.output();
  emulator_.Tap(EmulatedCard::Ntag213WithText({0x04, 0xA1, 0xB2, 0xC3, 0xD4, 0xE5, 0xF6}, "1"));
  ASSERT_TRUE(demo.WaitFor("card ")) << demo.output();
  demo.Signal(SIGINT);
  const int status = demo.WaitForExit();
  ASSERT_NE(status, -1) << "still running after Ctrl-C: " << demo.output();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status << "\n" << demo.output();
  EXPECT_NE(demo.output().find("stopped"), std::string::npos) << demo.output();
}

}  // namespace
}  // namespace loyalty
