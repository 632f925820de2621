#include "nfc/sun_tap.hpp"

#include <algorithm>

#include "nfc/ndef.hpp"
#include "nfc/sun_message.hpp"
#include "nfc/type4_tag.hpp"

namespace loyalty::readers {

Result<std::vector<std::uint8_t>> ReadType4NdefMessage(const ApduFn& apdu) {
  if (auto r = apdu(SelectNdefApplication(), "selecting the NDEF application"); !r.ok()) {
    return r.status();
  }
  if (auto r = apdu(SelectFile(kNdefFileId), "selecting the NDEF file"); !r.ok()) {
    return r.status();
  }
  auto length_bytes = apdu(ReadBinary(0, 2), "reading the NDEF length");
  if (!length_bytes.ok()) return length_bytes.status();
  if (length_bytes->size() != 2) return Status(StatusCode::kBadRead, "NDEF: no length");
  const std::size_t length =
      static_cast<std::size_t>((*length_bytes)[0]) << 8 | (*length_bytes)[1];
  std::vector<std::uint8_t> message;
  while (message.size() < length) {
    const std::size_t chunk = std::min<std::size_t>(length - message.size(), 0xF0);
    auto part = apdu(ReadBinary(static_cast<std::uint16_t>(2 + message.size()),
                                static_cast<std::uint8_t>(chunk)),
                     "reading the NDEF file");
    if (!part.ok()) return part.status();
    if (part->empty()) return Status(StatusCode::kBadRead, "NDEF: the file ended early");
    message.insert(message.end(), part->begin(), part->end());
  }
  return message;
}

Result<std::string> VerifySunTap(const ApduFn& apdu, const std::string& uid_hex,
                                 SunAuthority& authority) {
  auto refused = [](std::string why) {
    return Status(StatusCode::kBadRead, "NFC secure message: " + std::move(why));
  };
  auto message = ReadType4NdefMessage(apdu);
  if (!message.ok()) return message.status();
  auto records = ParseNdefMessage(*message);
  if (!records.ok()) return records.status();
  std::string uri;
  for (const NdefRecord& r : *records) {
    if (r.tnf == 0x01 && r.type == "U") {
      uri = ExpandUri(r.payload);
      break;
    }
  }
  auto parameters = SunParametersFromUri(uri);
  if (!parameters.ok()) return parameters.status();
  auto picc = DecryptSunPiccData(parameters->e, authority.MetaReadKey());
  if (!picc.ok()) return picc.status();
  if (picc->uid_hex != uid_hex) {
    return refused("the message names another card than the one tapped");
  }
  auto file_key = authority.FileReadKey(picc->uid_hex);
  if (!file_key) return refused("a card this program did not issue");
  if (Status s = VerifySunMac(*picc, parameters->c, *file_key); !s.ok()) return s;
  if (!authority.AcceptCounter(picc->uid_hex, picc->counter)) {
    return refused("this tap's message was seen before (counter " +
                   std::to_string(picc->counter) + "): a copied card?");
  }
  return picc->uid_hex;
}

}  // namespace loyalty::readers
