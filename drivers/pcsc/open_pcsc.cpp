// "pcsc:" (the first PC/SC reader) or "pcsc:<part of its name>", with the
// options ndef=1 and sun=1 as for libnfc readers.
#include "factories.hpp"
#include "pcsc/pcsc_reader.hpp"

namespace loyalty::readers {

ReaderResult OpenPcscReader(const Connection& connection, ReaderOptions options) {
  if (Status s = CheckOptions(connection, {"ndef", "sun"}); !s.ok()) return s;
  PcscSettings settings;
  auto ndef = BoolOption(connection, "ndef", settings.read_ndef);
  if (!ndef.ok()) return ndef.status();
  settings.read_ndef = *ndef;
  auto sun = SunOption(connection, options);
  if (!sun.ok()) return sun.status();
  settings.require_sun = *sun;
  return std::unique_ptr<CardReader>(std::make_unique<PcscReader>(
      connection.text, connection.target, settings, std::move(options)));
}

}  // namespace loyalty::readers
