#include "common/connection.hpp"

#include <charconv>

namespace loyalty::readers {
namespace {

Status Bad(const Connection& c, const std::string& what) {
  return Status(StatusCode::kInvalidArgument, "connection '" + c.text + "': " + what);
}

}  // namespace

Result<Connection> ParseConnection(std::string_view text) {
  Connection c;
  c.text = std::string(text);
  std::string_view rest = text;
  if (auto colon = rest.find(':'); colon != std::string_view::npos) {
    c.scheme = std::string(rest.substr(0, colon));
    rest.remove_prefix(colon + 1);
  } else {
    c.scheme = std::string(rest);
    rest = {};
  }
  std::string_view query;
  if (auto q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  c.target = std::string(rest);
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    if (eq == 0) return Bad(c, "option '" + std::string(pair) + "' has no name");
    std::string key(pair.substr(0, eq));
    std::string value = eq == std::string_view::npos ? "1" : std::string(pair.substr(eq + 1));
    if (!c.options.emplace(key, value).second) {
      return Bad(c, "option '" + key + "' given twice");
    }
  }
  return c;
}

Status CheckOptions(const Connection& connection, const std::set<std::string>& known) {
  for (const auto& [key, value] : connection.options) {
    if (!known.contains(key)) {
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      return Bad(connection, "unknown option '" + key + "' (known: " +
                                 (list.empty() ? "none" : list) + ")");
    }
  }
  return Status::Ok();
}

Result<bool> BoolOption(const Connection& connection, const std::string& key, bool fallback) {
  auto it = connection.options.find(key);
  if (it == connection.options.end()) return fallback;
  const std::string& v = it->second;
  if (v == "1" || v == "true" || v == "yes" || v == "on") return true;
  if (v == "0" || v == "false" || v == "no" || v == "off") return false;
  return Bad(connection, "option '" + key + "': '" + v + "' is not 0 or 1");
}

Result<std::chrono::milliseconds> MillisOption(const Connection& connection,
                                               const std::string& key,
                                               std::chrono::milliseconds fallback,
                                               std::chrono::milliseconds min,
                                               std::chrono::milliseconds max) {
  auto it = connection.options.find(key);
  if (it == connection.options.end()) return fallback;
  const std::string& v = it->second;
  long long ms = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), ms);
  if (ec != std::errc() || end != v.data() + v.size() || ms < min.count() || ms > max.count()) {
    return Bad(connection, "option '" + key + "': '" + v + "' is not a number of ms in " +
                               std::to_string(min.count()) + ".." + std::to_string(max.count()));
  }
  return std::chrono::milliseconds(ms);
}

}  // namespace loyalty::readers
