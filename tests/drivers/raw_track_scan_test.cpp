// Raw track data is kept nowhere (issues 4 and 7, docs/security.md): swipes
// of a loyalty card, a payment card swiped by mistake, torn, reversed and
// garbage swipes go through the real serial reader on a pseudo-terminal into
// a Terminal; then every file the ledger left, every log line of the reader
// and the Terminal, every message returned, and what a till that crashes
// mid-swipe prints are scanned for the tracks, the card numbers, the
// cardholder names and the discretionary data.
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "loyalty/reader.hpp"
#include "loyalty/terminal.hpp"
#include "reader_test_util.hpp"
#include "support/test_env.hpp"

namespace loyalty {
namespace {

using namespace std::chrono_literals;

constexpr char kLoyaltyTrack1[] = "%B9900123456789018^WEBER/ANNA^4912101739158204600000?";
constexpr char kLoyaltyTrack2[] = ";9900123456789018=49121017391582046?";
constexpr char kPaymentTrack1[] = "%B4111111111111111^DOE/JOHN Q^2812101000000000000738291?";
constexpr char kPaymentTrack2[] = ";4111111111111111=28121010000007382910?";
constexpr char kUnknownTrack2[] = ";9900000000000094=49121055512345678?";

// What must never be kept: whole tracks, both card numbers, the names on
// the stripes and their discretionary data. (The loyalty number is the
// card's identity, but it too is stored only as a keyed hash and shown
// masked.)
const std::vector<std::string>& Secrets() {
  static const std::vector<std::string> secrets = {
      kLoyaltyTrack1, kLoyaltyTrack2, kPaymentTrack1, kPaymentTrack2, kUnknownTrack2,
      "9900123456789018", "4111111111111111", "9900000000000094", "WEBER/ANNA", "DOE/JOHN",
      "7391582046", "0000007382910", "5551234567", "=4912", "=2812", "^4912", "^2812"};
  return secrets;
}

// The first secret found in `text`, or "".
std::string FindSecret(const std::string& text) {
  for (const auto& secret : Secrets()) {
    if (text.find(secret) != std::string::npos) return secret;
  }
  return "";
}

std::string Reversed(std::string s) { return {s.rbegin(), s.rend()}; }

// The POS bug: the exception out of value() cannot leave a noexcept
// function, so the process terminates as an unhandled error would.
void TakeTheValueAnyway(Result<Receipt>& result) noexcept {
  std::fprintf(stderr, "account %s\n", result->account_id.c_str());
}

class RawTrackScanTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(pty_.ok()); }

  std::unique_ptr<CardReader> OpenSerial(LogFn log) {
    ReaderOptions options;
    options.log = std::move(log);
    auto reader = OpenReader("magstripe-serial:" + pty_.path() + ":9600?gap_ms=40", options);
    EXPECT_TRUE(reader.ok()) << reader.status().ToString();
    if (!reader.ok()) return nullptr;
    EXPECT_TRUE((*reader)->Start().ok());
    return std::move(*reader);
  }

  void Swipe(const std::string& bytes) { ASSERT_TRUE(pty_.Write(bytes)); }

  readers::testing::Pty pty_;
};

TEST_F(RawTrackScanTest, NoTrackDataInTheLedgerFilesTheLogsOrAnyMessage) {
  readers::testing::LogCapture reader_log;
  readers::testing::LogCapture till_log;
  std::vector<std::string> messages;  // everything the POS was told
  auto keep = [&messages](const Status& s) { messages.push_back(s.ToString()); };

  testing::TestTerminal till;
  till.options.log = till_log.fn();
  till.Reopen();
  ASSERT_NE(till.terminal, nullptr);
  auto reader = OpenSerial(reader_log.fn());
  ASSERT_NE(reader, nullptr);

  // Every kind of swipe a counter sees, in one session.
  Swipe(std::string(kLoyaltyTrack1) + kLoyaltyTrack2 + "\r");   // the member's card
  Swipe(std::string(kPaymentTrack1) + kPaymentTrack2 + "\r");   // a bank card by mistake
  Swipe(std::string(kUnknownTrack2) + "\r");                    // a card of another chain
  Swipe(Reversed(kLoyaltyTrack2) + "\r");                       // swiped backwards
  Swipe("%E?;E?\r");                                            // the reader's own error
  Swipe("\x01zz7391582046^WEBER/ANNA^zz\x7f\r");                // line noise around data
  Swipe(std::string(kLoyaltyTrack2).substr(0, 14));             // torn: ends by the pause

  int good = 0, bad = 0;
  for (int i = 0; i < 7; ++i) {
    auto read = reader->WaitForCard(3s);
    ASSERT_TRUE(read.ok()) << "swipe " << i << ": " << read.status().ToString();
    keep(read->status);
    if (!read->status.ok()) {
      ++bad;
      EXPECT_EQ(read->status.code(), StatusCode::kBadRead);
      EXPECT_NE(read->status.message().find("swipe again"), std::string::npos)
          << read->status.message();
      auto identified = till->Identify(*read);
      EXPECT_FALSE(identified.ok());
      keep(identified.status());
      continue;
    }
    ++good;
    messages.push_back(read->card.Masked());
    auto view = till->Identify(*read);
    if (!view.ok()) {
      keep(view.status());
      if (read->card.value() == "9900123456789018") {
        // First swipe of the member's card: enrol it, then sell.
        ASSERT_EQ(view.status().code(), StatusCode::kUnknownCard);
        auto enrolled = till->Enroll({"e1", read->card, "", "Anna"});
        ASSERT_TRUE(enrolled.ok()) << enrolled.status().ToString();
        auto sale = till->Commit({"s1", read->card, testing::Eur({1250, 399}), 0});
        ASSERT_TRUE(sale.ok()) << sale.status().ToString();
        EXPECT_EQ(sale->earned, 16);
        view = till->Identify(*read);
        ASSERT_TRUE(view.ok());
        messages.push_back(view->card_masked);
      } else if (read->card.value() == "4111111111111111") {
        EXPECT_EQ(view.status().code(), StatusCode::kPaymentCardRefused);
        auto enrolled = till->Enroll({"e2", read->card, "", "John"});
        EXPECT_EQ(enrolled.status().code(), StatusCode::kPaymentCardRefused);
        keep(enrolled.status());
      } else {
        EXPECT_EQ(view.status().code(), StatusCode::kUnknownCard);
      }
    }
  }
  EXPECT_EQ(good, 3) << "member, bank card and the other chain's card read";
  EXPECT_EQ(bad, 4) << "backwards, error, noise and torn are bad reads";
  auto verified = till->Verify();
  ASSERT_TRUE(verified.ok() && verified->ok);
  reader->Close();
  till.Close();

  for (const auto& message : messages) {
    EXPECT_EQ(FindSecret(message), "") << "in a message: " << message;
  }
  EXPECT_NE(reader_log.all().find("bad read"), std::string::npos) << "the reader did log";
  EXPECT_EQ(FindSecret(reader_log.all()), "") << reader_log.all();
  EXPECT_EQ(FindSecret(till_log.all()), "") << till_log.all();

  // Every file the ledger left (database, WAL, shared memory, lock), read
  // as bytes after the Terminal let go of them.
  const auto folder = std::filesystem::path(till.options.database_path).parent_path();
  int files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(folder)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    ++files;
    EXPECT_EQ(FindSecret(bytes.str()), "") << "in " << entry.path();
  }
  EXPECT_GE(files, 2) << "at least the ledger and the program were scanned";
  // The scan can see data: the member's enrolment is in the ledger.
  std::ifstream db(till.options.database_path, std::ios::binary);
  std::stringstream db_bytes;
  db_bytes << db.rdbuf();
  EXPECT_NE(db_bytes.str().find("Anna"), std::string::npos);
}

TEST_F(RawTrackScanTest, ATillThatCrashesMidSwipePrintsNoTrackData) {
  // A POS bug: it takes the value of a refused Identify() and dies. What it
  // prints on the way down (the standard library's terminate message) is
  // all an attacker with the terminal's console or crash log gets.
  int err[2];
  ASSERT_EQ(::pipe(err), 0);
  testing::TestTerminal till;
  const Options options = till.options;
  till.Close();
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::dup2(err[1], STDERR_FILENO);
    ::dup2(err[1], STDOUT_FILENO);
    ::close(err[0]);
    auto terminal = Terminal::Open(options);
    if (!terminal.ok()) ::_exit(3);
    auto reader = OpenSerial(nullptr);
    if (!reader) ::_exit(4);
    Swipe(std::string(kPaymentTrack1) + kPaymentTrack2 + "\r");
    auto read = reader->WaitForCard(3s);
    if (!read.ok()) ::_exit(5);
    auto enrolled = (*terminal)->Enroll({"e1", read->card, "", "John"});
    std::fprintf(stderr, "refused: %s\n", enrolled.status().ToString().c_str());
    std::fflush(stderr);
    TakeTheValueAnyway(enrolled);
    ::_exit(0);
  }
  ::close(err[1]);
  std::string printed;
  char buffer[4096];
  for (ssize_t n; (n = ::read(err[0], buffer, sizeof buffer)) > 0;) printed.append(buffer, n);
  ::close(err[0]);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status)) << "exit " << WEXITSTATUS(status) << ": " << printed;
  EXPECT_EQ(WTERMSIG(status), SIGABRT);
  EXPECT_NE(printed.find("refused: "), std::string::npos) << printed;
  EXPECT_NE(printed.find("payment card"), std::string::npos) << printed;
  EXPECT_EQ(FindSecret(printed), "") << printed;
}

}  // namespace
}  // namespace loyalty
