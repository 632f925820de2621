// ISO/IEC 7813 swipe parsing: the characters a swipe reader sends for one
// swipe (up to three tracks, "%…?;…?+…?"), in, the loyalty number out.
// Pure: no I/O, no allocation that outlives the call holds track data.
#pragma once

#include <string_view>

#include "loyalty/card.hpp"
#include "loyalty/status.hpp"

namespace loyalty::readers {

// Whether the reader sends each track's LRC character after its '?'.
// Keyboard wedges normally check the LRC themselves and do not send it.
enum class LrcMode {
  kAuto = 0,     // a character after '?' that cannot start a track is an LRC
  kPresent = 1,  // every '?' is followed by the LRC (reader configured so)
  kAbsent = 2,   // never: a character after '?' must start the next track
};

struct SwipeParseOptions {
  LrcMode lrc = LrcMode::kAuto;
};

struct ParsedSwipe {
  CardId card;
  CardSource source = CardSource::kMagstripeTrack2;
};

// The number is the PAN field: track 1 "%<format letter><PAN>^NAME^…?",
// track 2 ";<PAN>=…?", track 3 "+<number>=…?" (or ';' as a second ';'
// track, or '#'). Track 2 is preferred, then track 1, then track 3; tracks
// that failed to read ("%E?", ";E?", "+E?") are skipped when another track
// is good. When tracks 1 and 2 are both good their numbers must agree.
//
// Every failure is kBadRead with a reason the cashier can act on, e.g.
// "track 2: LRC mismatch; swipe again". Reasons never quote track data.
Result<ParsedSwipe> ParseSwipe(std::string_view swipe, const SwipeParseOptions& options = {});

// The LRC character ISO/IEC 7811 puts after a track: the XOR of the
// character codes from start to end sentinel. `track` is "%…?" or ";…?"
// ('+' and '#' count as track 3's ';'). For building test swipes.
char TrackLrc(std::string_view track);

}  // namespace loyalty::readers
