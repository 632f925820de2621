// Money and store days for tills written in C: amounts typed or shown in a
// currency's decimals, and the store's calendar day for till reports.
#include <chrono>
#include <cstring>

#include <date/tz.h>

#include "capi/capi_internal.hpp"

using loyalty::StatusCode;
using loyalty::capi::Fail;
using loyalty::capi::Guard;
using loyalty::capi::Missing;
using loyalty::capi::Ok;
using loyalty::capi::Report;

namespace {

loyalty::Result<loyalty::Currency> CurrencyOf(const char* code) {
  if (code == nullptr) return loyalty::Status(StatusCode::kInvalidArgument, "currency: is NULL");
  return loyalty::Currency::FromCode(code);
}

}  // namespace

extern "C" {

loyalty_status loyalty_currency_decimals(const char* currency, int* out) {
  return Guard([&] {
    if (out == nullptr) return Missing("out");
    *out = 0;
    auto c = CurrencyOf(currency);
    if (!c.ok()) return Report(c.status());
    *out = c->exponent();
    return Ok();
  });
}

loyalty_status loyalty_money_parse(const char* currency, const char* text,
                                   int64_t* amount_minor) {
  return Guard([&] {
    if (amount_minor == nullptr) return Missing("amount_minor");
    *amount_minor = 0;
    if (text == nullptr) return Missing("text");
    auto c = CurrencyOf(currency);
    if (!c.ok()) return Report(c.status());
    auto money = loyalty::Money::Parse(text, *c);
    if (!money.ok()) return Report(money.status());
    *amount_minor = money->minor();
    return Ok();
  });
}

loyalty_status loyalty_money_format(const char* currency, int64_t amount_minor, char* buffer,
                                    size_t size, size_t* length) {
  return Guard([&] {
    if (length == nullptr) return Missing("length");
    *length = 0;
    if (buffer != nullptr && size > 0) buffer[0] = '\0';
    auto c = CurrencyOf(currency);
    if (!c.ok()) return Report(c.status());
    std::string text = loyalty::Money(amount_minor, *c).ToString();
    text.resize(text.size() - 4);  // " EUR": the till places the currency itself
    *length = text.size();
    if (buffer == nullptr && size == 0) return Ok();  // asking for the length
    if (buffer == nullptr) return Missing("buffer");
    if (size <= text.size()) {
      return Fail(StatusCode::kInvalidArgument,
                  "size: " + std::to_string(size) + " bytes cannot hold \"" + text + "\" (" +
                      std::to_string(text.size() + 1) + " with its NUL)");
    }
    std::memcpy(buffer, text.c_str(), text.size() + 1);
    return Ok();
  });
}

loyalty_status loyalty_store_day(loyalty_terminal* terminal, int64_t at_ms, int64_t* from_ms,
                                 int64_t* to_ms) {
  return Guard([&] {
    if (from_ms == nullptr) return Missing("from_ms");
    if (to_ms == nullptr) return Missing("to_ms");
    *from_ms = 0;
    *to_ms = 0;
    if (terminal == nullptr) return Missing("terminal");
    const std::string zone_name = terminal->terminal->program().time_zone;
    const date::time_zone* zone = nullptr;
    try {
      zone = date::locate_zone(zone_name.empty() ? "UTC" : zone_name);
    } catch (const std::exception&) {
      return Fail(StatusCode::kProgramInvalid,
                  "time_zone: '" + zone_name + "' is not a zone of this system's tz database");
    }
    using std::chrono::milliseconds;
    const date::sys_time<milliseconds> at{milliseconds(at_ms)};
    const auto local = zone->to_local(at);
    const auto day = date::floor<date::days>(local);
    // The first instant of the day and of the next one (a day may be 23
    // or 25 hours long around a clock change).
    const auto start = zone->to_sys(date::local_time<milliseconds>(day), date::choose::earliest);
    const auto next = zone->to_sys(date::local_time<milliseconds>(day + date::days(1)),
                                   date::choose::earliest);
    *from_ms = start.time_since_epoch().count();
    *to_ms = next.time_since_epoch().count();
    return Ok();
  });
}

}  // extern "C"
