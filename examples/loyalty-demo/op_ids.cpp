#include "op_ids.hpp"

#include <sys/random.h>

#include <chrono>
#include <cstdio>
#include <ctime>

namespace loyalty_demo {

std::string NewOpId(const std::string& kind) {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  unsigned short salt = 0;
  // Without randomness the time alone still identifies a typed command.
  if (getrandom(&salt, sizeof salt, 0) != static_cast<ssize_t>(sizeof salt)) salt = 0;
  char text[64];
  std::snprintf(text, sizeof text, "-%04d%02d%02d-%02d%02d%02d-%04X", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<unsigned>(salt));
  return kind + text;
}

std::string OpIdOr(const std::string& given, const std::string& kind) {
  return given.empty() ? NewOpId(kind) : given;
}

}  // namespace loyalty_demo
