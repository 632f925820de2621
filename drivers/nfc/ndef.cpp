#include "nfc/ndef.hpp"

#include <array>
#include <string_view>

namespace loyalty::readers {
namespace {

constexpr std::uint8_t kMessageBegin = 0x80;
constexpr std::uint8_t kMessageEnd = 0x40;
constexpr std::uint8_t kChunk = 0x20;
constexpr std::uint8_t kShortRecord = 0x10;
constexpr std::uint8_t kIdLength = 0x08;
constexpr std::uint8_t kTnfMask = 0x07;
constexpr std::uint8_t kTnfWellKnown = 0x01;

Status Bad(std::string what) { return Status(StatusCode::kBadRead, "NDEF: " + std::move(what)); }

// NFC Forum URI RTD, table 3: the abbreviations a URI record may start with.
constexpr std::array<std::string_view, 36> kUriPrefixes = {
    "",           "http://www.", "https://www.", "http://",     "https://",
    "tel:",       "mailto:",     "ftp://anonymous:anonymous@",  "ftp://ftp.",
    "ftps://",    "sftp://",     "smb://",      "nfs://",      "ftp://",
    "dav://",     "news:",       "telnet://",   "imap:",       "rtsp://",
    "urn:",       "pop:",        "sip:",        "sips:",       "tftp:",
    "btspp://",   "btl2cap://",  "btgoep://",   "tcpobex://",  "irdaobex://",
    "file://",    "urn:epc:id:", "urn:epc:tag:", "urn:epc:pat:", "urn:epc:raw:",
    "urn:epc:",   "urn:nfc:"};

std::string NumberFromUri(std::string_view uri) {
  uri = uri.substr(0, uri.find('#'));
  auto q = uri.find('?');
  if (q != std::string_view::npos) {
    std::string_view query = uri.substr(q + 1);
    while (!query.empty()) {
      auto amp = query.find('&');
      std::string_view pair = query.substr(0, amp);
      if (pair.starts_with("card=")) return std::string(pair.substr(5));
      if (amp == std::string_view::npos) break;
      query.remove_prefix(amp + 1);
    }
    uri = uri.substr(0, q);
  }
  while (!uri.empty() && uri.back() == '/') uri.remove_suffix(1);
  auto slash = uri.rfind('/');
  // "scheme://host" alone has no path segment to take.
  if (slash == std::string_view::npos || (slash > 0 && uri[slash - 1] == '/')) return "";
  return std::string(uri.substr(slash + 1));
}

}  // namespace

std::string ExpandUri(std::span<const std::uint8_t> payload) {
  if (payload.empty()) return "";
  std::string uri(payload[0] < kUriPrefixes.size() ? kUriPrefixes[payload[0]] : "");
  uri.append(payload.begin() + 1, payload.end());
  return uri;
}

Result<std::vector<NdefRecord>> ParseNdefMessage(std::span<const std::uint8_t> message) {
  std::vector<NdefRecord> records;
  std::size_t pos = 0;
  for (int index = 1;; ++index) {
    const std::string which = "record " + std::to_string(index);
    if (pos >= message.size()) return Bad(which + " missing: the message has no ME flag");
    const std::uint8_t header = message[pos];
    if (index == 1 && !(header & kMessageBegin)) return Bad("first record lacks the MB flag");
    if (header & kChunk) return Bad(which + " is chunked (not supported)");
    std::size_t need = 2 + ((header & kShortRecord) ? 1 : 4) + ((header & kIdLength) ? 1 : 0);
    if (pos + need > message.size()) return Bad(which + " header cut short");
    std::size_t at = pos + 1;
    const std::size_t type_length = message[at++];
    std::size_t payload_length = 0;
    if (header & kShortRecord) {
      payload_length = message[at++];
    } else {
      for (int i = 0; i < 4; ++i) payload_length = (payload_length << 8) | message[at++];
    }
    const std::size_t id_length = (header & kIdLength) ? message[at++] : 0;
    if (type_length + id_length > message.size() - at ||
        payload_length > message.size() - at - type_length - id_length) {
      return Bad(which + " runs past the end of the message");
    }
    NdefRecord record;
    record.tnf = header & kTnfMask;
    record.type.assign(message.begin() + static_cast<std::ptrdiff_t>(at),
                       message.begin() + static_cast<std::ptrdiff_t>(at + type_length));
    at += type_length + id_length;
    record.payload.assign(message.begin() + static_cast<std::ptrdiff_t>(at),
                          message.begin() + static_cast<std::ptrdiff_t>(at + payload_length));
    pos = at + payload_length;
    records.push_back(std::move(record));
    if (header & kMessageEnd) return records;
  }
}

Result<std::string> LoyaltyNumberFromNdef(std::span<const std::uint8_t> message) {
  auto records = ParseNdefMessage(message);
  if (!records.ok()) return records.status();
  const NdefRecord* uri = nullptr;
  for (const NdefRecord& r : *records) {
    if (r.tnf != kTnfWellKnown) continue;
    if (r.type == "T") {
      if (r.payload.empty()) return Bad("Text record is empty");
      const std::uint8_t status = r.payload[0];
      if (status & 0x80) return Bad("Text record is UTF-16 (only UTF-8 is read)");
      const std::size_t lang = status & 0x3F;
      if (1 + lang > r.payload.size()) return Bad("Text record's language code runs past it");
      std::string text(r.payload.begin() + static_cast<std::ptrdiff_t>(1 + lang), r.payload.end());
      if (text.empty()) return Bad("Text record holds no text");
      return text;
    }
    if (r.type == "U" && uri == nullptr) uri = &r;
  }
  if (uri != nullptr) {
    std::string number = NumberFromUri(ExpandUri(uri->payload));
    if (number.empty()) return Bad("URI record has no card number in its path or 'card=' query");
    return number;
  }
  return Bad("no Text or URI record");
}

}  // namespace loyalty::readers
