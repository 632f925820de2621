// libnfc connection strings, with this library's options after a '?':
//   "pn532_uart:/dev/ttyUSB0?ndef=1&poll_ms=50", "usb?sun=1", "nfc:" (first device).
#include "factories.hpp"
#include "nfc/nfc_reader.hpp"

namespace loyalty::readers {

ReaderResult OpenNfcReader(const Connection& connection, std::string libnfc_connstring,
                           ReaderOptions options) {
  if (Status s = CheckOptions(connection, {"ndef", "poll_ms", "sun"}); !s.ok()) return s;
  NfcSettings settings;
  auto ndef = BoolOption(connection, "ndef", settings.read_ndef);
  if (!ndef.ok()) return ndef.status();
  settings.read_ndef = *ndef;
  auto sun = SunOption(connection, options);
  if (!sun.ok()) return sun.status();
  settings.require_sun = *sun;
  auto poll = MillisOption(connection, "poll_ms", settings.poll_interval,
                           std::chrono::milliseconds(10), std::chrono::milliseconds(1000));
  if (!poll.ok()) return poll.status();
  settings.poll_interval = *poll;
  if (libnfc_connstring.size() >= NFC_BUFSIZE_CONNSTRING) {
    return Status(StatusCode::kInvalidArgument,
                  "connection '" + connection.text + "': longer than libnfc accepts");
  }
  return std::unique_ptr<CardReader>(std::make_unique<NfcReader>(
      connection.text, std::move(libnfc_connstring), settings, std::move(options)));
}

}  // namespace loyalty::readers
