#include <iostream>
#include <memory>

#include "commands/command.hpp"
#include "output.hpp"
#include "result_json.hpp"
#include "screen.hpp"

namespace loyalty_demo {

Command AddVerifyCommand(CLI::App& parent, const TillSettings& till) {
  CLI::App* app =
      parent.add_subcommand("verify", "Check the ledger's hash chain and every cached balance");
  return {app, [&till]() -> loyalty::Status {
            auto opened = OpenTill(till);
            if (!opened.ok()) return opened.status();
            auto report = opened->terminal->Verify();
            if (!report.ok()) return report.status();
            Show(till, VerifyJson(*report),
                 [&](std::ostream& out) { PrintVerify(out, *report); });
            if (!report->ok) {
              return {loyalty::StatusCode::kTampered, "the ledger does not verify"};
            }
            return loyalty::Status::Ok();
          }};
}

}  // namespace loyalty_demo
