// A keyboard wedge's evdev event stream (struct input_event records, cut
// anywhere), read through the real EvdevSource from a pipe, framed on CR
// and parsed as the MagstripeReader does.
#include <fcntl.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "magstripe/evdev_source.hpp"
#include "magstripe/track_parser.hpp"

namespace {

// A pipe holds 64 KiB; a longer input would block the write.
constexpr std::size_t kMaxInput = 60 * 1024;

void ParseSwipes(loyalty::readers::SwipeBuffer& buffer) {
  for (;;) {
    auto view = buffer.view();
    auto end = view.find('\r');
    if (end == std::string_view::npos) break;
    (void)loyalty::readers::ParseSwipe(view.substr(0, end));
    buffer.Consume(end + 1);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > kMaxInput) return 0;
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return 0;
  std::size_t written = 0;
  while (written < size) {
    ssize_t n = ::write(fds[1], data + written, size - written);
    if (n <= 0) break;
    written += static_cast<std::size_t>(n);
  }
  ::close(fds[1]);
  // The source opens a path; /dev/fd/N reopens the pipe's reading end.
  loyalty::readers::EvdevSource source("/dev/fd/" + std::to_string(fds[0]), /*grab=*/true);
  loyalty::readers::SwipeBuffer buffer;
  if (source.Open().ok()) {
    // Reads until the pipe reports its writer gone (kDeviceGone).
    while (source.ReadAvailable(buffer).ok()) ParseSwipes(buffer);
    ParseSwipes(buffer);
  }
  source.Close();
  ::close(fds[0]);
  return 0;
}
