#include "till.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <system_error>

#include "key_file.hpp"

namespace loyalty_demo {

void AddTillOptions(CLI::App& app, TillSettings& settings) {
  app.add_option("--db", settings.database_path, "Ledger file (SQLite)")->capture_default_str();
  app.add_option("--program", settings.program_path,
                 "Program document (JSON); default: programs/supermarket.json "
                 "beside this executable");
  app.add_option("--program-key", settings.program_key_file,
                 "The chain's program public key (PEM): load only program files "
                 "signed with it (<program>.sig, loyalty-server sign-program)")
      ->check(CLI::ExistingFile);
  app.add_option("--terminal-id", settings.terminal_id, "This till's id in the chain")
      ->capture_default_str();
  app.add_option("--key-file", settings.key_file,
                 "Terminal key file, created (32 random bytes, mode 0600) if absent; "
                 "default: <db>.key");
  app.add_option("--cashier", settings.cashier_id, "Who is at the till (till report)");
}

std::string DefaultProgramPath() {
  std::error_code error;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", error);
  if (!error) {
    const auto beside = exe.parent_path() / "programs" / "supermarket.json";
    if (std::filesystem::exists(beside, error)) return beside.string();
  }
  return LOYALTY_DEMO_SOURCE_PROGRAMS "/supermarket.json";
}

loyalty::Result<Till> OpenTill(const TillSettings& settings) {
  loyalty::Options options;
  options.database_path = settings.database_path;
  options.terminal_id = settings.terminal_id;
  options.program_path =
      settings.program_path.empty() ? DefaultProgramPath() : settings.program_path;
  if (!settings.program_key_file.empty()) {
    std::ifstream in(settings.program_key_file, std::ios::binary);
    std::ostringstream pem;
    pem << in.rdbuf();
    if (!in) {
      return loyalty::Status(loyalty::StatusCode::kIoError,
                             "--program-key: cannot read " + settings.program_key_file);
    }
    options.program_public_key_pem = pem.str();
  }
  auto key = ReadOrCreateKey(settings.key_file.empty() ? settings.database_path + ".key"
                                                       : settings.key_file);
  if (!key.ok()) return key.status();
  options.terminal_key = std::move(*key);
  // The library prints nothing itself; a till operator wants its warnings.
  options.log = [](loyalty::LogLevel level, std::string_view message) {
    if (level >= loyalty::LogLevel::kWarning) std::cerr << "loyalty: " << message << '\n';
  };
  auto terminal = loyalty::Terminal::Open(std::move(options));
  if (!terminal.ok()) return terminal.status();
  auto currency = loyalty::Currency::FromCode((*terminal)->program().currency);
  if (!currency.ok()) return currency.status();
  return Till{std::move(*terminal), *currency};
}

}  // namespace loyalty_demo
