// Text from outside the library: checked once where it enters (valid
// UTF-8, not too long, no control characters), made safe where it is
// shown (a till screen, an error message).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "loyalty/status.hpp"

namespace loyalty::text {

// kInvalidArgument naming `field` when `value` is not valid UTF-8, is
// longer than `max_bytes`, or holds a control character (C0, DEL, C1).
// The message quotes at most a short, printable excerpt of the value.
Status Check(std::string_view field, std::string_view value, std::size_t max_bytes);

// Whether `value` is well-formed UTF-8 (no overlong forms, surrogates or
// code points past U+10FFFF).
bool IsUtf8(std::string_view value);

// `value` with every control character (C0, DEL, C1) and every byte that
// is not valid UTF-8 replaced by '?': safe to print on a till or terminal.
std::string ForDisplay(std::string_view value);

// A printable excerpt of at most limits::kMaxQuotedBytes for an error
// message, with "..." when cut: a hostile value is never copied whole.
std::string Excerpt(std::string_view value);

}  // namespace loyalty::text
