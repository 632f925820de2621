// History, integrity and the till report.
#include "capi/capi_internal.hpp"

using loyalty::StatusCode;
using loyalty::capi::Give;
using loyalty::capi::Guard;
using loyalty::capi::Missing;
using loyalty::capi::ParseCard;
using loyalty::capi::Report;

extern "C" {

loyalty_status loyalty_history(loyalty_terminal* terminal, const char* card, int limit,
                               loyalty_result** out) {
  return Guard([&] {
    if (out == nullptr) return Missing("out");
    *out = nullptr;
    if (terminal == nullptr) return Missing("terminal");
    auto parsed = ParseCard(card);
    if (!parsed.ok()) return Report(parsed.status());
    auto entries = terminal->terminal->History(*parsed, limit);
    if (!entries.ok()) return Report(entries.status());
    return Give(loyalty::capi::FromHistory(*entries), out);
  });
}

loyalty_status loyalty_verify(loyalty_terminal* terminal, loyalty_progress_fn progress,
                              void* user_data, loyalty_result** out) {
  return Guard([&] {
    if (out == nullptr) return Missing("out");
    *out = nullptr;
    if (terminal == nullptr) return Missing("terminal");
    loyalty::ProgressFn fn;
    if (progress != nullptr) {
      fn = [progress, user_data](std::int64_t done, std::int64_t total) {
        progress(user_data, done, total);
      };
    }
    auto report = terminal->terminal->Verify(fn);
    if (!report.ok()) return Report(report.status());
    return Give(loyalty::capi::FromVerify(*report), out);
  });
}

loyalty_status loyalty_rebuild_balances(loyalty_terminal* terminal) {
  return Guard([&] {
    if (terminal == nullptr) return Missing("terminal");
    return Report(terminal->terminal->RebuildBalances());
  });
}

loyalty_status loyalty_till_report(loyalty_terminal* terminal, int64_t from_ms, int64_t to_ms,
                                   int64_t point_value_minor, int64_t point_value_points,
                                   loyalty_result** out) {
  return Guard([&] {
    if (out == nullptr) return Missing("out");
    *out = nullptr;
    if (terminal == nullptr) return Missing("terminal");
    const loyalty::Timestamp from{std::chrono::milliseconds(from_ms)};
    const loyalty::Timestamp to{std::chrono::milliseconds(to_ms)};
    auto report = terminal->terminal->TillReport(
        from, to, loyalty::PointValue{point_value_minor, point_value_points});
    if (!report.ok()) return Report(report.status());
    return Give(loyalty::capi::FromTillReport(*report), out);
  });
}

}  // extern "C"
