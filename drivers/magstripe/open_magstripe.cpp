// "magstripe-evdev:/dev/input/eventN[?grab=1&gap_ms=100&lrc=auto]" and
// "magstripe-serial:/dev/ttyUSB0[:9600][?gap_ms=100&lrc=auto]".
#include <charconv>

#include "factories.hpp"
#include "magstripe/evdev_source.hpp"
#include "magstripe/magstripe_reader.hpp"
#include "magstripe/serial_source.hpp"

namespace loyalty::readers {
namespace {

Result<MagstripeSettings> Settings(const Connection& c) {
  MagstripeSettings settings;
  auto gap = MillisOption(c, "gap_ms", settings.gap, std::chrono::milliseconds(5),
                          std::chrono::milliseconds(5000));
  if (!gap.ok()) return gap.status();
  settings.gap = *gap;
  if (auto it = c.options.find("lrc"); it != c.options.end()) {
    if (it->second == "auto") {
      settings.parse.lrc = LrcMode::kAuto;
    } else if (it->second == "1" || it->second == "yes") {
      settings.parse.lrc = LrcMode::kPresent;
    } else if (it->second == "0" || it->second == "no") {
      settings.parse.lrc = LrcMode::kAbsent;
    } else {
      return Status(StatusCode::kInvalidArgument,
                    "connection '" + c.text + "': option 'lrc' is auto, 1 or 0");
    }
  }
  return settings;
}

Status NeedPath(const Connection& c) {
  if (!c.target.empty()) return Status::Ok();
  return Status(StatusCode::kInvalidArgument,
                "connection '" + c.text + "': the device path is missing");
}

}  // namespace

ReaderResult OpenEvdevSwipeReader(const Connection& c, ReaderOptions options) {
  if (Status s = CheckOptions(c, {"gap_ms", "grab", "lrc"}); !s.ok()) return s;
  if (Status s = NeedPath(c); !s.ok()) return s;
  auto settings = Settings(c);
  if (!settings.ok()) return settings.status();
  auto grab = BoolOption(c, "grab", true);
  if (!grab.ok()) return grab.status();
  return std::unique_ptr<CardReader>(std::make_unique<MagstripeReader>(
      c.text, std::make_unique<EvdevSource>(c.target, *grab), *settings, std::move(options)));
}

ReaderResult OpenSerialSwipeReader(const Connection& c, ReaderOptions options) {
  if (Status s = CheckOptions(c, {"gap_ms", "lrc"}); !s.ok()) return s;
  if (Status s = NeedPath(c); !s.ok()) return s;
  auto settings = Settings(c);
  if (!settings.ok()) return settings.status();
  // "/dev/ttyUSB0:9600": the speed follows the last ':' (libnfc's spelling).
  std::string path = c.target;
  unsigned baud = 9600;
  if (auto colon = path.rfind(':'); colon != std::string::npos) {
    std::string_view speed(path.data() + colon + 1, path.size() - colon - 1);
    auto [end, ec] = std::from_chars(speed.data(), speed.data() + speed.size(), baud);
    if (ec != std::errc() || end != speed.data() + speed.size()) {
      return Status(StatusCode::kInvalidArgument,
                    "connection '" + c.text + "': '" + std::string(speed) + "' is not a speed");
    }
    path.resize(colon);
  }
  return std::unique_ptr<CardReader>(std::make_unique<MagstripeReader>(
      c.text, std::make_unique<SerialSource>(path, baud), *settings, std::move(options)));
}

}  // namespace loyalty::readers
