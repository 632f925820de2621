#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string_view>
#include <system_error>

#include "commands/command.hpp"
#include "demo/morning.hpp"

namespace loyalty_demo {
namespace {

// mkdtemp rather than a fixed name: two demos at once (a test run beside a
// person trying it) must not share, or lock each other out of, a ledger.
loyalty::Result<std::filesystem::path> MakeScratchDir() {
  std::error_code error;
  const auto base = std::filesystem::temp_directory_path(error);
  if (error) return loyalty::Status(loyalty::StatusCode::kIoError, "no temporary folder");
  std::string pattern = (base / "loyalty-demo-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    return loyalty::Status(loyalty::StatusCode::kIoError,
                           "cannot create a folder under " + base.string());
  }
  return std::filesystem::path(pattern);
}

std::string Quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// A newcomer wants to play once the script ends: the morning's key goes
// into the file the CLI reads beside a ledger (owner-only), and the
// commands to try are printed with absolute paths.
loyalty::Status KeepForTrying(const std::filesystem::path& dir, const std::string& program) {
  const std::filesystem::path ledger = dir / "ledger.db";
  const std::string key_path = ledger.string() + ".key";
  const int fd = open(key_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return {loyalty::StatusCode::kIoError, "cannot create " + key_path};
  const std::string_view key = kMorningTerminalKey;
  const bool written = write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size());
  close(fd);
  if (!written) return {loyalty::StatusCode::kIoError, "cannot write " + key_path};
  std::error_code error;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", error);
  const std::string till = (error ? std::string("loyalty-demo") : Quoted(self.string())) +
                           " --db " + Quoted(ledger.string()) + " --program " + Quoted(program);
  std::cout << "\nThe morning's ledger is kept in " << dir.string() << "\n"
            << "Try it by hand, for example:\n"
            << "  " << till << " lookup " << kMorningCard << "\n"
            << "  " << till << " history " << kMorningCard << "\n"
            << "  " << till << " verify\n";
  return loyalty::Status::Ok();
}

}  // namespace

Command AddDemoCommand(CLI::App& parent, const TillSettings& till) {
  auto keep = std::make_shared<bool>(false);
  CLI::App* app = parent.add_subcommand(
      "demo", "A scripted morning at a supermarket till, on a fresh temporary ledger");
  app->add_flag("--keep", *keep, "Keep the temporary ledger and print where it is");
  return {app, [keep, &till]() -> loyalty::Status {
            if (till.json) {
              // The morning is a story told in prose; its steps are the other
              // commands, each of which speaks JSON.
              return loyalty::Status(loyalty::StatusCode::kInvalidArgument,
                                     "demo: the scripted morning is prose only; --json is for "
                                     "the other commands");
            }
            auto dir = MakeScratchDir();
            if (!dir.ok()) return dir.status();
            const std::string program =
                till.program_path.empty() ? DefaultProgramPath() : till.program_path;
            loyalty::Status result = RunMorning((*dir / "ledger.db").string(), program, std::cout);
            std::error_code error;
            if (*keep) {
              if (result.ok()) {
                const loyalty::Status kept = KeepForTrying(*dir, program);
                if (!kept.ok()) return kept;
              } else {
                std::cout << "\nThe ledger is kept in " << dir->string() << '\n';
              }
            } else {
              std::filesystem::remove_all(*dir, error);
            }
            return result;
          }};
}

}  // namespace loyalty_demo
