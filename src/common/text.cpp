#include "common/text.hpp"

#include "common/limits.hpp"

namespace loyalty::text {
namespace {

// Length of the well-formed UTF-8 sequence starting at `at`, 0 if none.
std::size_t SequenceLength(std::string_view s, std::size_t at) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char b0 = byte(at);
  if (b0 < 0x80) return 1;
  std::size_t length = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xbf;
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    length = 2;
  } else if (b0 >= 0xe0 && b0 <= 0xef) {
    length = 3;
    if (b0 == 0xe0) low = 0xa0;   // overlong
    if (b0 == 0xed) high = 0x9f;  // surrogates
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    length = 4;
    if (b0 == 0xf0) low = 0x90;   // overlong
    if (b0 == 0xf4) high = 0x8f;  // past U+10FFFF
  } else {
    return 0;
  }
  if (s.size() - at < length) return 0;
  const unsigned char b1 = byte(at + 1);
  if (b1 < low || b1 > high) return 0;
  for (std::size_t i = 2; i < length; ++i) {
    if (byte(at + i) < 0x80 || byte(at + i) > 0xbf) return 0;
  }
  return length;
}

// C0, DEL and C1 (U+0080..U+009F, encoded C2 80..C2 9F).
bool IsControl(std::string_view s, std::size_t at, std::size_t length) {
  const auto b0 = static_cast<unsigned char>(s[at]);
  if (length == 1) return b0 < 0x20 || b0 == 0x7f;
  return length == 2 && b0 == 0xc2 && static_cast<unsigned char>(s[at + 1]) < 0xa0;
}

}  // namespace

bool IsUtf8(std::string_view value) {
  for (std::size_t at = 0; at < value.size();) {
    const std::size_t length = SequenceLength(value, at);
    if (length == 0) return false;
    at += length;
  }
  return true;
}

std::string ForDisplay(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (std::size_t at = 0; at < value.size();) {
    const std::size_t length = SequenceLength(value, at);
    if (length == 0 || IsControl(value, at, length)) {
      out.push_back('?');
      at += length == 0 ? 1 : length;
      continue;
    }
    out.append(value.substr(at, length));
    at += length;
  }
  return out;
}

std::string Excerpt(std::string_view value) {
  // Cut on a character boundary, then make what is left printable.
  std::size_t end = 0;
  while (end < value.size()) {
    const std::size_t length = SequenceLength(value, end);
    const std::size_t step = length == 0 ? 1 : length;
    if (end + step > limits::kMaxQuotedBytes) break;
    end += step;
  }
  std::string out = ForDisplay(value.substr(0, end));
  if (end < value.size()) out += "...";
  return out;
}

Status Check(std::string_view field, std::string_view value, std::size_t max_bytes) {
  if (value.size() > max_bytes) {
    return {StatusCode::kInvalidArgument,
            std::string(field) + ": " + std::to_string(value.size()) +
                " bytes, longer than the limit of " + std::to_string(max_bytes) +
                " (starts '" + Excerpt(value) + "')"};
  }
  for (std::size_t at = 0; at < value.size();) {
    const std::size_t length = SequenceLength(value, at);
    if (length == 0) {
      return {StatusCode::kInvalidArgument,
              std::string(field) + ": not valid UTF-8 at byte " + std::to_string(at) +
                  " ('" + Excerpt(value) + "')"};
    }
    if (IsControl(value, at, length)) {
      return {StatusCode::kInvalidArgument,
              std::string(field) + ": holds a control character at byte " +
                  std::to_string(at) + " ('" + Excerpt(value) + "')"};
    }
    at += length;
  }
  return Status::Ok();
}

}  // namespace loyalty::text
