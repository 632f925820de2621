#include "engine/expiry.hpp"

#include <chrono>

namespace loyalty::engine {

std::optional<std::int64_t> PeriodEndExpiryDay(const Program& program,
                                               std::int64_t earned_day) {
  using namespace std::chrono;
  if (program.expire_at_end_of == Program::Period::kNone) return std::nullopt;
  const year_month_day ymd{sys_days{days{earned_day}}};
  // The first month of the period the points were earned in.
  int month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  int span = 1;
  switch (program.expire_at_end_of) {
    case Program::Period::kMonth: span = 1; break;
    case Program::Period::kQuarter: span = 3; month = (month - 1) / 3 * 3 + 1; break;
    case Program::Period::kYear: span = 12; month = 1; break;
    case Program::Period::kNone: return std::nullopt;
  }
  // Midnight after the end of the period, `periods_after` periods later.
  const months offset{span * (program.expiry_periods_after + 1)};
  const year_month start{ymd.year(), std::chrono::month{static_cast<unsigned>(month)}};
  const year_month end = start + offset;
  return sys_days{end / day{1}}.time_since_epoch().count();
}

}  // namespace loyalty::engine
