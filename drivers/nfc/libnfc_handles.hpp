// Owners for libnfc's handles: nfc_exit and nfc_close run exactly once.
#pragma once

#include <nfc/nfc.h>

#include <memory>

namespace loyalty::readers {

struct NfcContextDeleter {
  void operator()(nfc_context* context) const noexcept { nfc_exit(context); }
};
struct NfcDeviceDeleter {
  void operator()(nfc_device* device) const noexcept { nfc_close(device); }
};
using NfcContextPtr = std::unique_ptr<nfc_context, NfcContextDeleter>;
using NfcDevicePtr = std::unique_ptr<nfc_device, NfcDeviceDeleter>;

}  // namespace loyalty::readers
