// The default Transport: libcurl over OpenSSL, https only, verification
// always on, no redirects, no proxy unless one is configured, no signals.
// One easy handle in one multi handle, so connections are reused between
// requests and Cancel() can wake a request that waits on a silent peer.
#pragma once

#include <memory>

#include "loyalty/sync.hpp"

namespace loyalty::sync {

// kInvalidArgument names a bad TLS option (unreadable file, not https).
Result<std::unique_ptr<Transport>> MakeCurlTransport(const SyncOptions& options);

}  // namespace loyalty::sync
