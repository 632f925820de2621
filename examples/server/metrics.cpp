#include "metrics.hpp"

#include <sstream>

namespace loyalty::server {

namespace {

// A label value as the text format wants it: backslash, double quote and
// newline escaped (terminal ids are ours to show, not trusted to be tame).
std::string Label(const std::string& v) {
  std::string out;
  for (char ch : v) {
    if (ch == '\\') out += "\\\\";
    else if (ch == '"') out += "\\\"";
    else if (ch == '\n') out += "\\n";
    else out += ch;
  }
  return out;
}

void Head(std::ostringstream& out, const char* name, const char* type, const char* help) {
  out << "# HELP " << name << " " << help << "\n# TYPE " << name << " " << type << "\n";
}

}  // namespace

void Metrics::CountPush(int status, const PushTally& tally, double seconds) {
  std::lock_guard<std::mutex> guard(mutex_);
  ++pushes_[status];
  entries_.applied += tally.applied;
  entries_.flagged += tally.flagged;
  entries_.rejected += tally.rejected;
  entries_.duplicates += tally.duplicates;
  if (tally.replayed) ++replayed_;
  if (seconds >= 0) {
    push_seconds_ += seconds;
    ++timed_pushes_;
  }
}

void Metrics::CountPull(int status) {
  std::lock_guard<std::mutex> guard(mutex_);
  ++pulls_[status];
}

std::string Metrics::Render(const std::vector<TerminalState>& terminals,
                            std::int64_t now_ms) const {
  std::ostringstream out;
  {
    std::lock_guard<std::mutex> guard(mutex_);
    Head(out, "loyalty_pushes_total", "counter",
         "Push requests this process answered, by HTTP status.");
    for (const auto& [status, n] : pushes_) {
      out << "loyalty_pushes_total{status=\"" << status << "\"} " << n << "\n";
    }
    Head(out, "loyalty_pulls_total", "counter",
         "Pull requests this process answered, by HTTP status.");
    for (const auto& [status, n] : pulls_) {
      out << "loyalty_pulls_total{status=\"" << status << "\"} " << n << "\n";
    }
    Head(out, "loyalty_entries_total", "counter",
         "Entries pushed to this process, by result: applied, flagged (applied with a flag "
         "such as balance_negative: an offline overshoot), rejected, duplicate.");
    out << "loyalty_entries_total{result=\"applied\"} " << entries_.applied << "\n"
        << "loyalty_entries_total{result=\"flagged\"} " << entries_.flagged << "\n"
        << "loyalty_entries_total{result=\"rejected\"} " << entries_.rejected << "\n"
        << "loyalty_entries_total{result=\"duplicate\"} " << entries_.duplicates << "\n";
    Head(out, "loyalty_batches_replayed_total", "counter",
         "Batches delivered again and answered from the stored answer.");
    out << "loyalty_batches_replayed_total " << replayed_ << "\n";
    Head(out, "loyalty_push_seconds", "summary", "Time to apply a push in the store.");
    out << "loyalty_push_seconds_sum " << push_seconds_ << "\n"
        << "loyalty_push_seconds_count " << timed_pushes_ << "\n";
  }
  // From the store, the same in every process.
  std::int64_t stored = 0;
  for (const TerminalState& t : terminals) stored += t.head_seq;
  Head(out, "loyalty_stored_entries", "gauge",
       "Entries the store holds from all terminals (the sum of their heads).");
  out << "loyalty_stored_entries " << stored << "\n";
  Head(out, "loyalty_terminal_head_seq", "gauge", "The newest entry stored from each terminal.");
  for (const TerminalState& t : terminals) {
    out << "loyalty_terminal_head_seq{terminal=\"" << Label(t.terminal_id) << "\"} "
        << t.head_seq << "\n";
  }
  Head(out, "loyalty_terminal_lag_seconds", "gauge",
       "Age of the newest entry stored from each terminal (its till time): how far behind "
       "the till the server may be. Absent for a terminal that never pushed.");
  for (const TerminalState& t : terminals) {
    if (!t.head_at) continue;
    out << "loyalty_terminal_lag_seconds{terminal=\"" << Label(t.terminal_id) << "\"} "
        << static_cast<double>(now_ms - *t.head_at) / 1000.0 << "\n";
  }
  Head(out, "loyalty_terminal_last_push_age_seconds", "gauge",
       "Seconds since a push last stored entries from each terminal.");
  for (const TerminalState& t : terminals) {
    if (!t.last_push_at) continue;
    out << "loyalty_terminal_last_push_age_seconds{terminal=\"" << Label(t.terminal_id)
        << "\"} " << static_cast<double>(now_ms - *t.last_push_at) / 1000.0 << "\n";
  }
  return out.str();
}

}  // namespace loyalty::server
