#include "till.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
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
                 "Terminal key file, created (32 random bytes, mode 0600) with a new "
                 "ledger; default: <db>.key");
  app.add_option("--card-key-file", settings.card_key_file,
                 "The chain's card key (loyalty-demo keygen), the same at every till: "
                 "a card enrolled at one till is then recognised at the others "
                 "once they sync. Default: the terminal key (a till on its own)");
  app.add_option("--cashier", settings.cashier_id, "Who is at the till (till report)");
  app.add_flag("--read-only", settings.read_only,
               "Open an existing ledger read-only (lookup, balance, history, report, "
               "verify): nothing is created or written beside it, e.g. on read-only media");
  app.add_flag("--allow-program-change", settings.allow_program_change,
               "Put a program file in force that differs from the last one the ledger "
               "recorded and is not signed (logged, and recorded with a note saying so)");
  app.add_flag("--json", settings.json,
               "Print each result as one JSON object per line (the C ABI's result keys)");
}

void FirstStart::Undo() {
  std::error_code error;
  for (const std::string& path : paths_) std::filesystem::remove(path, error);
  paths_.clear();
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

namespace {

std::string ProgramPath(const TillSettings& settings) {
  return settings.program_path.empty() ? DefaultProgramPath() : settings.program_path;
}

}  // namespace

loyalty::Result<ProgramFacts> ReadProgramFacts(const TillSettings& settings) {
  const std::string path = ProgramPath(settings);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return loyalty::Status(loyalty::StatusCode::kIoError, "--program '" + path + "': cannot read");
  }
  const nlohmann::json doc = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("currency") ||
      !doc["currency"].is_string()) {
    return loyalty::Status(loyalty::StatusCode::kProgramInvalid,
                           "--program '" + path + "': not a program document (no \"currency\")");
  }
  auto currency = loyalty::Currency::FromCode(doc["currency"].get<std::string>());
  if (!currency.ok()) {
    return loyalty::Status(loyalty::StatusCode::kProgramInvalid,
                           "--program '" + path + "': currency: " + currency.status().message());
  }
  bool spend = true;
  if (const auto tiers = doc.find("tiers"); tiers != doc.end() && tiers->is_object()) {
    const auto measure = tiers->find("measure");
    spend = !(measure != tiers->end() && *measure == "points");
  }
  return ProgramFacts{*currency, spend};
}

loyalty::Result<Till> OpenTill(const TillSettings& settings) {
  // Before a key file is looked for beside it (".key" for an empty path).
  if (settings.database_path.empty()) {
    return loyalty::Status(loyalty::StatusCode::kInvalidArgument, "--db: is empty");
  }
  loyalty::Options options;
  options.database_path = settings.database_path;
  options.terminal_id = settings.terminal_id;
  options.program_path = ProgramPath(settings);
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
  if (!settings.card_key_file.empty()) {
    auto card_key = ReadKey(settings.card_key_file, "--card-key-file");
    if (!card_key.ok()) return card_key.status();
    options.card_key = std::move(*card_key);
  }
  const std::string key_path =
      settings.key_file.empty() ? settings.database_path + ".key" : settings.key_file;
  std::error_code error;
  std::optional<NewKeyFile> new_key;
  options.read_only = settings.read_only;
  options.allow_unsigned_program_change = settings.allow_program_change;
  const bool ledger_exists = std::filesystem::exists(settings.database_path, error);
  if (std::filesystem::exists(key_path, error)) {
    // The library reads it, and refuses it unless only its owner may.
    options.terminal_key_file = key_path;
    options.ledger_must_exist = ledger_exists;
  } else if (ledger_exists) {
    return loyalty::Status(loyalty::StatusCode::kIoError,
                           "key file '" + key_path + "' is missing, but the ledger '" +
                               settings.database_path +
                               "' exists: it was written with a key (--key-file names it)");
  } else if (settings.read_only) {
    return loyalty::Status(loyalty::StatusCode::kInvalidArgument,
                           "--read-only: key file '" + key_path + "' is missing");
  } else {
    auto drawn = NewKeyFile::Draw(key_path);
    if (!drawn.ok()) return drawn.status();
    options.terminal_key = drawn->key();
    new_key.emplace(std::move(*drawn));
  }
  // The library prints nothing itself; a till operator wants its warnings.
  options.log = [](loyalty::LogLevel level, std::string_view message) {
    if (level >= loyalty::LogLevel::kWarning) std::cerr << "loyalty: " << message << '\n';
  };
  // The files a new ledger brings (SQLite's journals, the till's lock).
  std::vector<std::string> ledger_files;
  if (!ledger_exists && !settings.read_only) {
    for (const char* suffix : {"", "-wal", "-shm", "-journal", ".lock"}) {
      const std::string path = settings.database_path + suffix;
      if (!std::filesystem::exists(path, error)) ledger_files.push_back(path);
    }
  }
  auto terminal = loyalty::Terminal::Open(std::move(options));
  if (!terminal.ok()) {
    // A ledger another till holds is not ours to clear away.
    if (terminal.status().code() != loyalty::StatusCode::kDatabaseLocked) {
      for (const std::string& path : ledger_files) std::filesystem::remove(path, error);
    }
    return terminal.status();
  }
  if (settings.first_start != nullptr) {
    for (const std::string& path : ledger_files) settings.first_start->Created(path);
  }
  if (new_key) {
    if (loyalty::Status s = new_key->Keep(); !s.ok()) return s;
    if (settings.first_start != nullptr) settings.first_start->Created(key_path);
  }
  auto currency = loyalty::Currency::FromCode((*terminal)->program().currency);
  if (!currency.ok()) return currency.status();
  return Till{std::move(*terminal), *currency};
}

}  // namespace loyalty_demo
