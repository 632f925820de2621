// Card readers over loyalty::OpenReader: in libloyalty_readers.so, which
// libloyalty.so loads on first use (reader_loader.cpp). Without the readers
// library (LOYALTY_CAPI_WITH_READERS undefined: libloyalty.a) every symbol
// still exists, so the ABI is the same in every build, and opening says
// LOYALTY_UNSUPPORTED.
#include <algorithm>
#include <memory>
#include <optional>
#include <string>

#include "capi/capi_internal.hpp"

#include "loyalty/reader.hpp"

using loyalty::StatusCode;
using loyalty::capi::Fail;
using loyalty::capi::Give;
using loyalty::capi::Guard;
using loyalty::capi::Missing;
using loyalty::capi::Ok;
using loyalty::capi::Report;

struct loyalty_reader_options {
  loyalty::LogFn log;
  // The SUN keys: shared with every reader opened with these options, so
  // the options may be freed while the readers live.
  std::shared_ptr<loyalty::SunAuthority> sun;
};

struct loyalty_reader {
#if defined(LOYALTY_CAPI_WITH_READERS)
  std::shared_ptr<loyalty::SunAuthority> sun;  // outlives `reader`
  std::unique_ptr<loyalty::CardReader> reader;
#endif
};

#if defined(LOYALTY_CAPI_WITH_READERS)
namespace {

loyalty_status OpenWith(const char* connection, const loyalty_reader_options* options,
                        loyalty_reader** out) {
  loyalty::ReaderOptions reader_options;
  auto handle = std::make_unique<loyalty_reader>();
  if (options != nullptr) {
    reader_options.log = options->log;
    handle->sun = options->sun;
    reader_options.sun = handle->sun.get();
  }
  auto reader = loyalty::OpenReader(connection, std::move(reader_options));
  if (!reader.ok()) return Report(reader.status());
  handle->reader = std::move(*reader);
  if (loyalty::Status s = handle->reader->Start(); !s.ok()) return Report(s);
  *out = handle.release();
  return Ok();
}

}  // namespace
#else
namespace {

loyalty_status NotBuiltIn(const char* connection) {
  return Fail(StatusCode::kUnsupported,
              "connection '" + std::string(connection) +
                  "': card readers are not in this library (libloyalty.so loads "
                  "them from libloyalty_readers.so; libloyalty.a has none: C++ "
                  "tills use loyalty::OpenReader)");
}

}  // namespace
#endif

extern "C" {

loyalty_status loyalty_reader_options_new(loyalty_reader_options** out) {
  return Guard([&] {
    if (out == nullptr) return Missing("out");
    *out = new loyalty_reader_options();
    return Ok();
  });
}

void loyalty_reader_options_free(loyalty_reader_options* options) { delete options; }

loyalty_status loyalty_reader_options_set_log(loyalty_reader_options* options,
                                              loyalty_log_fn log, void* user_data) {
  return Guard([&] {
    if (options == nullptr) return Missing("options");
    options->log = loyalty::capi::LogFromC(log, user_data);
    return Ok();
  });
}

loyalty_status loyalty_reader_options_set_sun(loyalty_reader_options* options,
                                              const uint8_t meta_read_key[16],
                                              loyalty_sun_file_key_fn file_key, void* user_data,
                                              const char* counter_file) {
  return Guard([&] {
    if (options == nullptr) return Missing("options");
    if (meta_read_key == nullptr) return Missing("meta_read_key");
    if (file_key == nullptr) return Missing("file_key");
    if (counter_file == nullptr || *counter_file == '\0') return Missing("counter_file");
#if defined(LOYALTY_CAPI_WITH_READERS)
    loyalty::SunAuthority::Key meta;
    std::copy(meta_read_key, meta_read_key + meta.size(), meta.begin());
    auto keys = [file_key, user_data](std::string_view uid_hex)
        -> std::optional<loyalty::SunAuthority::Key> {
      const std::string uid(uid_hex);
      loyalty::SunAuthority::Key key{};
      if (file_key(user_data, uid.c_str(), key.data()) != 1) return std::nullopt;
      return key;
    };
    auto authority = loyalty::SunCounterFile::Open(counter_file, meta, std::move(keys));
    if (!authority.ok()) return Report(authority.status());
    options->sun = std::shared_ptr<loyalty::SunAuthority>(std::move(*authority));
    return Ok();
#else
    (void)user_data;
    return Fail(StatusCode::kUnsupported, "card readers are not built into this library");
#endif
  });
}

loyalty_status loyalty_reader_open_with(const char* connection,
                                        const loyalty_reader_options* options,
                                        loyalty_reader** out) {
  return Guard([&] {
    if (out == nullptr) return Missing("out");
    *out = nullptr;
    if (connection == nullptr) return Missing("connection");
#if defined(LOYALTY_CAPI_WITH_READERS)
    return OpenWith(connection, options, out);
#else
    (void)options;
    return NotBuiltIn(connection);
#endif
  });
}

loyalty_status loyalty_reader_open(const char* connection, loyalty_reader** out) {
  return Guard([&] {
    if (out == nullptr) return Missing("out");
    *out = nullptr;
    if (connection == nullptr) return Missing("connection");
#if defined(LOYALTY_CAPI_WITH_READERS)
    return OpenWith(connection, nullptr, out);
#else
    return NotBuiltIn(connection);
#endif
  });
}

loyalty_status loyalty_reader_wait(loyalty_reader* reader, int64_t timeout_ms,
                                   loyalty_result** out) {
  return Guard([&] {
    if (out == nullptr) return Missing("out");
    *out = nullptr;
    if (reader == nullptr) return Missing("reader");
    if (timeout_ms < 0) {
      return Fail(StatusCode::kInvalidArgument,
                  "timeout_ms: " + std::to_string(timeout_ms) + " is negative");
    }
#if defined(LOYALTY_CAPI_WITH_READERS)
    auto read = reader->reader->WaitForCard(std::chrono::milliseconds(timeout_ms));
    if (!read.ok()) return Report(read.status());
    if (!read->status.ok()) return Report(read->status);  // a bad read, for the cashier
    return Give(loyalty::capi::FromCardRead(*read), out);
#else
    return Fail(StatusCode::kUnsupported, "card readers are not built into this library");
#endif
  });
}

loyalty_status loyalty_reader_cancel(loyalty_reader* reader) {
  return Guard([&] {
    if (reader == nullptr) return Missing("reader");
#if defined(LOYALTY_CAPI_WITH_READERS)
    reader->reader->Cancel();
    return Ok();
#else
    return Fail(StatusCode::kUnsupported, "card readers are not built into this library");
#endif
  });
}

loyalty_status loyalty_reader_restart(loyalty_reader* reader) {
  return Guard([&] {
    if (reader == nullptr) return Missing("reader");
#if defined(LOYALTY_CAPI_WITH_READERS)
    return Report(reader->reader->Start());
#else
    return Fail(StatusCode::kUnsupported, "card readers are not built into this library");
#endif
  });
}

void loyalty_reader_close(loyalty_reader* reader) {
  try {
    delete reader;  // the CardReader's destructor closes the device
  } catch (...) {
    // Destructors do not throw here; nothing may leave a C entry point.
  }
}

}  // extern "C"
