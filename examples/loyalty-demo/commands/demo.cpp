#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
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

}  // namespace

Command AddDemoCommand(CLI::App& parent, const TillSettings& till) {
  auto keep = std::make_shared<bool>(false);
  CLI::App* app = parent.add_subcommand(
      "demo", "A scripted morning at a supermarket till, on a fresh temporary ledger");
  app->add_flag("--keep", *keep, "Keep the temporary ledger and print where it is");
  return {app, [keep, &till]() -> loyalty::Status {
            auto dir = MakeScratchDir();
            if (!dir.ok()) return dir.status();
            const std::string program =
                till.program_path.empty() ? DefaultProgramPath() : till.program_path;
            loyalty::Status result = RunMorning((*dir / "ledger.db").string(), program, std::cout);
            std::error_code error;
            if (*keep) {
              std::cout << "\nThe ledger is kept in " << dir->string() << '\n';
            } else {
              std::filesystem::remove_all(*dir, error);
            }
            return result;
          }};
}

}  // namespace loyalty_demo
