// When points expire, on the store's calendar. Pure.
#pragma once

#include <cstdint>
#include <optional>

#include "engine/program.hpp"

namespace loyalty::engine {

// The local day (days since 1970-01-01) on whose midnight points earned on
// `earned_day` expire under an end-of-period policy; nullopt when the
// program has none.
std::optional<std::int64_t> PeriodEndExpiryDay(const Program& program,
                                               std::int64_t earned_day);

}  // namespace loyalty::engine
