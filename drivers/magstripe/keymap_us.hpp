// Linux key codes to the characters a US-layout keyboard wedge means.
// Key codes do not depend on the desktop's keyboard layout.
#pragma once

namespace loyalty::readers {

// The character for `code` (linux/input-event-codes.h) with or without
// shift; '\r' for Enter; '\0' for keys that type nothing (shift itself).
// Keys a swipe reader never sends give kUnknownKey, which the track parser
// then rejects rather than a swipe silently losing a character.
inline constexpr char kUnknownKey = '\x1a';
char KeyToChar(unsigned code, bool shift) noexcept;

bool IsShiftKey(unsigned code) noexcept;

}  // namespace loyalty::readers
