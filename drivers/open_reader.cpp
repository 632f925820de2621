// loyalty::OpenReader: the connection string's scheme picks the family.
#include <array>
#include <string_view>

#include "factories.hpp"
#include "loyalty/reader.hpp"

namespace loyalty {

namespace readers {

Result<bool> SunOption(const Connection& connection, const ReaderOptions& options) {
  auto sun = BoolOption(connection, "sun", false);
  if (!sun.ok()) return sun.status();
  if (*sun && options.sun == nullptr) {
    return Status(StatusCode::kInvalidArgument,
                  "connection '" + connection.text +
                      "': sun=1 needs the card keys in ReaderOptions::sun");
  }
  return *sun;
}

}  // namespace readers
namespace {

// libnfc's own driver names (Debian's build; see docs/readers.md).
constexpr std::array<std::string_view, 8> kLibnfcSchemes = {
    "pn532_uart", "pn53x_usb", "acr122_usb", "pn532_spi",
    "pn532_i2c",  "arygon",    "ACR122S",    "usb"};

}  // namespace

Result<std::unique_ptr<CardReader>> OpenReader(std::string_view connection,
                                               ReaderOptions options) {
  auto parsed = readers::ParseConnection(connection);
  if (!parsed.ok()) return parsed.status();
  const readers::Connection& c = *parsed;
  if (c.scheme == "sim") return readers::OpenSimReader(c, std::move(options));
  if (c.scheme == "magstripe-evdev") return readers::OpenEvdevSwipeReader(c, std::move(options));
  if (c.scheme == "magstripe-serial") {
    return readers::OpenSerialSwipeReader(c, std::move(options));
  }
  if (c.scheme.empty() && c.target.empty()) {
    return readers::OpenNfcReader(c, "", std::move(options));
  }
  if (c.scheme == "nfc") return readers::OpenNfcReader(c, c.target, std::move(options));
  for (std::string_view scheme : kLibnfcSchemes) {
    if (c.scheme == scheme) {
      std::string libnfc = c.scheme + (c.target.empty() && connection.find(':') == std::string_view::npos
                                           ? ""
                                           : ":" + c.target);
      return readers::OpenNfcReader(c, libnfc, std::move(options));
    }
  }
  if (c.scheme == "pcsc") {
#if defined(LOYALTY_READERS_WITH_PCSC)
    return readers::OpenPcscReader(c, std::move(options));
#else
    return Status(StatusCode::kUnsupported,
                  "connection '" + c.text +
                      "': PC/SC readers are not in this build (pcsc-lite was not found)");
#endif
  }
  if (c.scheme == "acr122_pcsc" || c.scheme == "pn71xx") {
    return Status(StatusCode::kUnsupported,
                  "connection '" + c.text + "': libnfc's " + c.scheme +
                      " driver is not in Debian's libnfc build; see docs/readers.md");
  }
  return Status(StatusCode::kInvalidArgument,
                "connection '" + c.text +
                    "': no reader driver for it (sim:, magstripe-evdev:, magstripe-serial:, "
                    "pn532_uart:, usb, nfc:, pcsc:)");
}

}  // namespace loyalty
