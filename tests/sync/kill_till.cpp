// A till process for the kill tests: trades and syncs until it is killed,
// writing one line per round to the file descriptor it is given.
//
// The test starts it with fork + exec, never with a bare fork: the test
// process runs the server's threads, and a fork taken while one of them
// holds a lock (SQLite's allocator, OpenSSL's) leaves that lock held for
// ever in the child, which then hangs on its first call.
//
//   sync_kill_till CONFIG.json PROGRESS_FD
//
// CONFIG holds the till's ledger options, its sync options and the run
// number that prefixes its operation ids.
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "loyalty/loyalty.hpp"
#include "support/test_env.hpp"

namespace {

using loyalty::testing::Card;
using loyalty::testing::Eur;

int Run(const nlohmann::json& config, int progress_fd) {
  loyalty::testing::FakeClock clock(config.at("clock_ms").get<std::int64_t>());
  loyalty::Options options;
  options.database_path = config.at("database_path").get<std::string>();
  options.terminal_id = config.at("terminal_id").get<std::string>();
  options.terminal_key = config.at("terminal_key").get<std::string>();
  options.card_key = config.at("card_key").get<std::string>();
  options.program_path = config.at("program_path").get<std::string>();
  options.clock = &clock;
  auto terminal = loyalty::Terminal::Open(options);
  if (!terminal.ok()) {
    std::cerr << "kill_till: " << terminal.status().ToString() << "\n";
    return 3;
  }

  loyalty::SyncOptions sync_options;
  sync_options.server_url = config.at("server_url").get<std::string>();
  sync_options.ca_pem = config.at("ca_pem").get<std::string>();
  sync_options.receipt_public_key_pem = config.at("receipt_public_key_pem").get<std::string>();
  sync_options.program_public_key_pem = config.at("program_public_key_pem").get<std::string>();
  sync_options.connect_timeout = std::chrono::milliseconds(3000);
  sync_options.request_timeout = std::chrono::milliseconds(10'000);
  sync_options.backoff_base = std::chrono::milliseconds(10);
  sync_options.backoff_cap = std::chrono::milliseconds(40);
  sync_options.max_batch_age = std::chrono::milliseconds(0);
  auto sync = loyalty::Sync::Create(**terminal, sync_options);
  if (!sync.ok()) {
    std::cerr << "kill_till: " << sync.status().ToString() << "\n";
    return 4;
  }

  const std::string run = std::to_string(config.at("run").get<int>());
  for (int i = 0;; ++i) {
    (void)(*terminal)->Commit(
        {"k" + run + "-" + std::to_string(i), Card("LC0001"), Eur({100}), 0});
    (void)(*sync)->PumpOnce();
    const std::string line = std::to_string(i) + "\n";
    if (write(progress_fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
      return 5;  // the test is gone
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: sync_kill_till CONFIG.json PROGRESS_FD\n";
    return 2;
  }
  std::ifstream in(argv[1]);
  const nlohmann::json config = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (config.is_discarded()) {
    std::cerr << "kill_till: " << argv[1] << " is not JSON\n";
    return 2;
  }
  try {
    return Run(config, std::atoi(argv[2]));
  } catch (const nlohmann::json::exception& e) {
    std::cerr << "kill_till: " << argv[1] << ": " << e.what() << "\n";
    return 2;
  }
}
