#include "magstripe/track_parser.hpp"

#include <array>
#include <optional>
#include <string>

namespace loyalty::readers {
namespace {

constexpr char kEndSentinel = '?';

// Track 1 uses the 6-bit alphabet (ASCII 0x20-0x5F), tracks 2 and 3 the
// 4-bit one (ASCII 0x30-0x3F); a character's code is its offset in it.
struct Alphabet {
  char base;
  char last;
  char field_separator;
};
constexpr Alphabet kTrack1{0x20, 0x5F, '^'};
constexpr Alphabet kBcd{0x30, 0x3F, '='};

bool IsStartSentinel(char c) { return c == '%' || c == ';' || c == '+' || c == '#'; }

enum class TrackState { kAbsent, kError, kGood };

struct Track {
  TrackState state = TrackState::kAbsent;
  std::string problem;  // why it is kError: no track data, only the reason
  std::optional<CardId> card;
};

std::string Label(int track) { return "track " + std::to_string(track); }

// XOR of the codes of SS, data and ES. A '+' or '#' start sentinel is how
// a wedge spells track 3's ';' (the card itself holds code 0x0B).
char ComputeLrc(const Alphabet& a, std::string_view data) {
  unsigned lrc = (a.base == kTrack1.base) ? ('%' - a.base) : (';' - a.base);
  for (char c : data) lrc ^= static_cast<unsigned>(c - a.base);
  lrc ^= static_cast<unsigned>(kEndSentinel - a.base);
  return static_cast<char>(a.base + static_cast<char>(lrc & (a.base == kTrack1.base ? 0x3F : 0x0F)));
}

bool InAlphabet(const Alphabet& a, char c) { return c >= a.base && c <= a.last; }

// Parses one track's data (between the sentinels) into the number.
Track ParseTrackData(int number, std::string_view data) {
  Track t;
  t.state = TrackState::kError;
  if (data == "E") {
    t.problem = Label(number) + ": the reader could not decode it";
    return t;
  }
  const Alphabet& a = number == 1 ? kTrack1 : kBcd;
  for (char c : data) {
    if (!InAlphabet(a, c) || c == kEndSentinel || IsStartSentinel(c)) {
      t.problem = Label(number) + ": character outside the track's alphabet";
      return t;
    }
  }
  std::string_view pan = data;
  if (number == 1) {
    if (data.empty() || data[0] < 'A' || data[0] > 'Z') {
      t.problem = Label(number) + ": format code missing";
      return t;
    }
    auto fs = data.find(a.field_separator);
    if (fs == std::string_view::npos) {
      t.problem = Label(number) + ": no '^' after the number";
      return t;
    }
    pan = data.substr(1, fs - 1);
  } else {
    pan = data.substr(0, data.find(a.field_separator));
  }
  for (char c : pan) {
    bool ok = (c >= '0' && c <= '9') || (number == 1 && c >= 'A' && c <= 'Z');
    if (!ok) {
      t.problem = Label(number) + ": the number field holds a character that is not a digit";
      return t;
    }
  }
  if (pan.size() < 4 || pan.size() > 19) {
    t.problem = Label(number) + ": the number field has " + std::to_string(pan.size()) +
                " characters, 4 to 19 expected";
    return t;
  }
  auto card = CardId::Parse(pan);
  if (!card.ok()) {
    t.problem = Label(number) + ": the number field is not a card number";
    return t;
  }
  t.state = TrackState::kGood;
  t.card = std::move(card).value();
  return t;
}

Status BadRead(std::string reason) {
  return Status(StatusCode::kBadRead, std::move(reason) + "; swipe again");
}

}  // namespace

char TrackLrc(std::string_view track) {
  if (track.size() < 2) return '\0';
  const Alphabet& a = track.front() == '%' ? kTrack1 : kBcd;
  return ComputeLrc(a, track.substr(1, track.size() - 2));
}

Result<ParsedSwipe> ParseSwipe(std::string_view swipe, const SwipeParseOptions& options) {
  // Spaces and line ends around the tracks are the reader's framing.
  auto is_blank = [](char c) { return c == ' ' || c == '\r' || c == '\n' || c == '\t'; };
  while (!swipe.empty() && is_blank(swipe.front())) swipe.remove_prefix(1);
  while (!swipe.empty() && is_blank(swipe.back())) swipe.remove_suffix(1);
  if (swipe.empty()) return BadRead("no track data");
  if (swipe.front() == kEndSentinel) {
    return BadRead("the card was read backwards (end sentinel first): swipe the other way");
  }

  std::array<Track, 4> tracks;  // [1..3]
  std::size_t pos = 0;
  while (pos < swipe.size()) {
    char ss = swipe[pos];
    if (is_blank(ss)) {
      ++pos;
      continue;
    }
    if (!IsStartSentinel(ss)) {
      return BadRead("unexpected character outside a track (not a card, or a torn swipe)");
    }
    int number = 3;
    if (ss == '%') number = 1;
    if (ss == ';' && tracks[2].state == TrackState::kAbsent) number = 2;
    if (tracks[number].state != TrackState::kAbsent) {
      return BadRead(Label(number) + " appears twice");
    }
    auto es = swipe.find(kEndSentinel, pos + 1);
    if (es == std::string_view::npos) {
      tracks[number].state = TrackState::kError;
      tracks[number].problem = Label(number) + ": no end sentinel (torn swipe)";
      break;
    }
    std::string_view data = swipe.substr(pos + 1, es - pos - 1);
    pos = es + 1;
    Track track = ParseTrackData(number, data);

    // The LRC, when the reader passes it on.
    std::optional<char> lrc;
    if (pos < swipe.size() && options.lrc != LrcMode::kAbsent) {
      char next = swipe[pos];
      bool next_starts_track =
          IsStartSentinel(next) && pos + 1 < swipe.size() && !IsStartSentinel(swipe[pos + 1]);
      if (options.lrc == LrcMode::kPresent || (!next_starts_track && !is_blank(next))) {
        lrc = next;
        ++pos;
      }
    } else if (options.lrc == LrcMode::kPresent) {
      track.state = TrackState::kError;
      track.problem = Label(number) + ": LRC missing";
    }
    if (lrc && data != "E") {
      const Alphabet& a = number == 1 ? kTrack1 : kBcd;
      if (*lrc != ComputeLrc(a, data)) {
        track.state = TrackState::kError;
        track.card.reset();
        track.problem = Label(number) + ": LRC mismatch";
      }
    }
    tracks[number] = std::move(track);
  }

  const Track& t1 = tracks[1];
  const Track& t2 = tracks[2];
  if (t1.state == TrackState::kGood && t2.state == TrackState::kGood && !(*t1.card == *t2.card)) {
    return BadRead("track 1 and track 2 numbers differ");
  }
  for (int number : {2, 1, 3}) {
    if (tracks[number].state == TrackState::kGood) {
      ParsedSwipe parsed;
      parsed.card = *tracks[number].card;
      parsed.source = number == 1   ? CardSource::kMagstripeTrack1
                      : number == 2 ? CardSource::kMagstripeTrack2
                                    : CardSource::kMagstripeTrack3;
      return parsed;
    }
  }
  std::string reasons;
  for (int number : {1, 2, 3}) {
    if (tracks[number].state != TrackState::kError) continue;
    reasons += (reasons.empty() ? "" : ", ") + tracks[number].problem;
  }
  if (reasons.empty()) reasons = "no track data";
  return BadRead(reasons);
}

}  // namespace loyalty::readers
