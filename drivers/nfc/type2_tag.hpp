// NFC Forum Type 2 tags (NTAG21x, MIFARE Ultralight): where the NDEF
// message sits. Page 3 is the Capability Container "E1 10 <size/8> 00";
// the data area from page 4 holds TLVs, the NDEF one being 03 <len> <msg>.
// Pure: the reader feeds it the pages it has read so far.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "loyalty/status.hpp"

namespace loyalty::readers {

inline constexpr std::uint8_t kType2FirstDataPage = 4;

// The data area's size in bytes from the capability container page `cc`,
// or 0 when the page is not an NDEF CC (a blank or non-NDEF tag).
std::size_t Type2DataAreaSize(std::span<const std::uint8_t> cc);

struct Type2Scan {
  enum class State {
    kNeedMore,   // read more pages: `bytes_needed` of the data area
    kFound,      // the NDEF message is data[offset, offset + length)
    kNoNdef,     // no NDEF TLV, or an empty one (a blank tag)
    kMalformed,  // a TLV runs past the data area
  };
  State state = State::kNeedMore;
  std::size_t bytes_needed = 0;
  std::size_t offset = 0;
  std::size_t length = 0;
  std::string problem;
};

// Walks the TLVs in the first bytes of the data area (`data` may be only
// what was read so far); `area_size` is the data area's full size.
Type2Scan ScanType2Tlvs(std::span<const std::uint8_t> data, std::size_t area_size);

// Reads pages from `page` on (a READ answers 4 pages, 16 bytes): the bytes
// the reader returned, or kBadRead for a read that failed.
using Type2PageReader = std::function<Result<std::vector<std::uint8_t>>(std::uint8_t page)>;

// The loyalty number in a Type 2 tag's NDEF message, reading the capability
// container (page 3) and then as many pages as the TLVs ask for: nullopt
// when the tag holds no NDEF message (a first answer shorter than a page,
// no NDEF capability container, no NDEF TLV); kBadRead for a failed read,
// a malformed TLV or NDEF message, an answer shorter than a page, or a
// message that goes past page 255. Every byte it reads comes from the card.
Result<std::optional<std::string>> ReadType2NdefNumber(const Type2PageReader& read_pages);

}  // namespace loyalty::readers
