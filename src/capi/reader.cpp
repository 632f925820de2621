// Card readers over loyalty::OpenReader. Without the readers library
// (LOYALTY_CAPI_WITH_READERS undefined) every symbol still exists, so the
// ABI is the same in every build, and opening says LOYALTY_UNSUPPORTED.
#include "capi/capi_internal.hpp"

#if defined(LOYALTY_CAPI_WITH_READERS)
#include "loyalty/reader.hpp"
#endif

using loyalty::StatusCode;
using loyalty::capi::Fail;
using loyalty::capi::Give;
using loyalty::capi::Guard;
using loyalty::capi::Missing;
using loyalty::capi::Ok;
using loyalty::capi::Report;

struct loyalty_reader {
#if defined(LOYALTY_CAPI_WITH_READERS)
  std::unique_ptr<loyalty::CardReader> reader;
#endif
};

extern "C" {

loyalty_status loyalty_reader_open(const char* connection, loyalty_reader** out) {
  return Guard([&] {
    if (out == nullptr) return Missing("out");
    *out = nullptr;
    if (connection == nullptr) return Missing("connection");
#if defined(LOYALTY_CAPI_WITH_READERS)
    auto reader = loyalty::OpenReader(connection);
    if (!reader.ok()) return Report(reader.status());
    auto handle = std::make_unique<loyalty_reader>();
    handle->reader = std::move(*reader);
    if (loyalty::Status s = handle->reader->Start(); !s.ok()) return Report(s);
    *out = handle.release();
    return Ok();
#else
    return Fail(StatusCode::kUnsupported,
                "connection '" + std::string(connection) +
                    "': card readers are not in this library (they are in "
                    "libloyalty.so when built with LOYALTY_CAPI_READERS and the "
                    "loyalty_readers library; never in libloyalty.a)");
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

loyalty_status loyalty_identify(loyalty_terminal* terminal, const loyalty_result* read,
                                loyalty_result** out) {
  return Guard([&] {
    if (out == nullptr) return Missing("out");
    *out = nullptr;
    if (terminal == nullptr) return Missing("terminal");
    if (read == nullptr) return Missing("read");
    if (read->kind != LOYALTY_KIND_CARD_READ) {
      return Fail(StatusCode::kInvalidArgument,
                  "read: is a result of kind " + std::to_string(read->kind) +
                      ", not a card read (LOYALTY_KIND_CARD_READ)");
    }
    auto card = loyalty::CardId::Parse(read->strings.at(LOYALTY_READ_CARD));
    if (!card.ok()) return Report(card.status());
    loyalty::CardRead event;
    event.card = *card;
    event.source = static_cast<loyalty::CardSource>(read->ints.at(LOYALTY_READ_SOURCE));
    event.at = loyalty::Timestamp(std::chrono::milliseconds(read->ints.at(LOYALTY_READ_AT_MS)));
    auto view = terminal->terminal->Identify(event);
    if (!view.ok()) return Report(view.status());
    return Give(loyalty::capi::FromCardView(*view), out);
  });
}

}  // extern "C"
