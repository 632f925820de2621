#include <chrono>
#include <iostream>
#include <memory>

#include "commands/command.hpp"
#include "output.hpp"
#include "result_json.hpp"

namespace loyalty_demo {

// The end-of-day loyalty report of this till: today (UTC) by default, or
// the last --days days; text for the shift lead, --json for the back office.
Command AddReportCommand(CLI::App& parent, const TillSettings& till) {
  CLI::App* app = parent.add_subcommand(
      "report", "End-of-day loyalty report of this till, in total and per cashier");
  auto days = std::make_shared<int>(1);
  app->add_option("--days", *days, "How many days back from now (default 1)")
      ->check(CLI::Range(1, 3660));
  return {app, [&till, days]() -> loyalty::Status {
            auto opened = OpenTill(till);
            if (!opened.ok()) return opened.status();
            const auto now = std::chrono::time_point_cast<std::chrono::milliseconds>(
                std::chrono::system_clock::now());
            const loyalty::Timestamp to = now + std::chrono::milliseconds(1);
            const loyalty::Timestamp from = to - std::chrono::hours(24) * *days;
            auto report = opened->terminal->TillReport(from, to);
            if (!report.ok()) return report.status();
            Show(till, ReportJson(*report),
                 [&](std::ostream& out) { out << loyalty::TillReportText(*report) << '\n'; });
            return loyalty::Status::Ok();
          }};
}

}  // namespace loyalty_demo
