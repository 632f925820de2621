// The sync calls of the C ABI over loyalty::Sync.
#include "capi/capi_internal.hpp"

using loyalty::StatusCode;
using loyalty::capi::Fail;
using loyalty::capi::Guard;
using loyalty::capi::Missing;
using loyalty::capi::Ok;
using loyalty::capi::Report;
using loyalty::capi::Text;

struct loyalty_sync_options {
  loyalty::SyncOptions options;
};

struct loyalty_sync {
  // Declared before the sync, so the terminal outlives it: loyalty_close
  // and loyalty_sync_free may come in either order.
  std::shared_ptr<loyalty::Terminal> terminal;
  std::unique_ptr<loyalty::Sync> sync;
};

namespace {

template <typename Set>
loyalty_status SetOption(loyalty_sync_options* options, Set set) {
  return Guard([&] {
    if (options == nullptr) return Missing("options");
    return set(options->options);
  });
}

loyalty_status Negative(const char* field, std::int64_t value) {
  return Fail(StatusCode::kInvalidArgument,
              std::string(field) + ": " + std::to_string(value) + " is negative");
}

std::int64_t Ms(std::optional<loyalty::Timestamp> t) {
  return t ? t->time_since_epoch().count() : 0;
}

template <typename Body>
loyalty_status WithSync(loyalty_sync* sync, Body body) {
  return Guard([&] {
    if (sync == nullptr) return Missing("sync");
    return body(*sync->sync);
  });
}

}  // namespace

extern "C" {

loyalty_status loyalty_sync_options_new(loyalty_sync_options** out) {
  return Guard([&] {
    if (out == nullptr) return Missing("out");
    *out = new loyalty_sync_options();
    return Ok();
  });
}

void loyalty_sync_options_free(loyalty_sync_options* options) { delete options; }

loyalty_status loyalty_sync_options_set_server_url(loyalty_sync_options* options,
                                                   const char* url) {
  return SetOption(options, [&](loyalty::SyncOptions& o) {
    o.server_url = Text(url);
    return Ok();
  });
}

loyalty_status loyalty_sync_options_set_ca(loyalty_sync_options* options, const char* ca_file,
                                           const char* ca_pem) {
  return SetOption(options, [&](loyalty::SyncOptions& o) {
    o.ca_file = Text(ca_file);
    o.ca_pem = Text(ca_pem);
    return Ok();
  });
}

loyalty_status loyalty_sync_options_set_pinned_public_key(loyalty_sync_options* options,
                                                          const char* pins) {
  return SetOption(options, [&](loyalty::SyncOptions& o) {
    o.pinned_public_key = Text(pins);
    return Ok();
  });
}

loyalty_status loyalty_sync_options_set_client_cert(loyalty_sync_options* options,
                                                    const char* cert_file, const char* key_file) {
  return SetOption(options, [&](loyalty::SyncOptions& o) {
    o.client_cert_file = Text(cert_file);
    o.client_key_file = Text(key_file);
    return Ok();
  });
}

loyalty_status loyalty_sync_options_set_trusted_keys(loyalty_sync_options* options,
                                                     const char* receipt_public_key_pem,
                                                     const char* program_public_key_pem) {
  return SetOption(options, [&](loyalty::SyncOptions& o) {
    o.receipt_public_key_pem = Text(receipt_public_key_pem);
    o.program_public_key_pem = Text(program_public_key_pem);
    return Ok();
  });
}

loyalty_status loyalty_sync_options_set_batches(loyalty_sync_options* options,
                                                int64_t max_entries, int64_t max_bytes,
                                                int64_t max_age_ms) {
  return SetOption(options, [&](loyalty::SyncOptions& o) {
    if (max_entries < 0) return Negative("max_entries", max_entries);
    if (max_bytes < 0) return Negative("max_bytes", max_bytes);
    if (max_age_ms < 0) return Negative("max_age_ms", max_age_ms);
    if (max_entries > 5000) {
      return Fail(StatusCode::kInvalidArgument,
                  "max_entries: " + std::to_string(max_entries) +
                      " is over the protocol's 5000 per batch");
    }
    if (max_entries > 0) o.max_batch_entries = static_cast<int>(max_entries);
    if (max_bytes > 0) o.max_batch_bytes = static_cast<std::size_t>(max_bytes);
    if (max_age_ms > 0) o.max_batch_age = std::chrono::milliseconds(max_age_ms);
    return Ok();
  });
}

loyalty_status loyalty_sync_options_set_timing(loyalty_sync_options* options,
                                               int64_t connect_timeout_ms,
                                               int64_t request_timeout_ms,
                                               int64_t poll_interval_ms) {
  return SetOption(options, [&](loyalty::SyncOptions& o) {
    if (connect_timeout_ms < 0) return Negative("connect_timeout_ms", connect_timeout_ms);
    if (request_timeout_ms < 0) return Negative("request_timeout_ms", request_timeout_ms);
    if (poll_interval_ms < 0) return Negative("poll_interval_ms", poll_interval_ms);
    if (connect_timeout_ms > 0) o.connect_timeout = std::chrono::milliseconds(connect_timeout_ms);
    if (request_timeout_ms > 0) o.request_timeout = std::chrono::milliseconds(request_timeout_ms);
    if (poll_interval_ms > 0) o.poll_interval = std::chrono::milliseconds(poll_interval_ms);
    return Ok();
  });
}

loyalty_status loyalty_sync_create(loyalty_terminal* terminal,
                                   const loyalty_sync_options* options, loyalty_sync** out) {
  return Guard([&] {
    if (out == nullptr) return Missing("out");
    *out = nullptr;
    if (terminal == nullptr) return Missing("terminal");
    if (options == nullptr) return Missing("options");
    auto sync = loyalty::Sync::Create(*terminal->terminal, options->options);
    if (!sync.ok()) return Report(sync.status());
    *out = new loyalty_sync{terminal->terminal, std::move(*sync)};
    return Ok();
  });
}

void loyalty_sync_free(loyalty_sync* sync) { delete sync; }

loyalty_status loyalty_sync_start(loyalty_sync* sync) {
  return WithSync(sync, [](loyalty::Sync& s) { return Report(s.Start()); });
}

loyalty_status loyalty_sync_stop(loyalty_sync* sync) {
  return WithSync(sync, [](loyalty::Sync& s) {
    s.Stop();
    return Ok();
  });
}

loyalty_status loyalty_sync_pump(loyalty_sync* sync) {
  return WithSync(sync, [](loyalty::Sync& s) { return Report(s.PumpOnce()); });
}

loyalty_status loyalty_sync_now(loyalty_sync* sync) {
  return WithSync(sync, [](loyalty::Sync& s) { return Report(s.SyncNow()); });
}

loyalty_status loyalty_sync_status(loyalty_sync* sync, loyalty_result** out) {
  return Guard([&] {
    if (out == nullptr) return Missing("out");
    *out = nullptr;
    if (sync == nullptr) return Missing("sync");
    const loyalty::SyncStatus st = sync->sync->status();
    auto r = std::make_unique<loyalty_result>();
    r->kind = LOYALTY_KIND_SYNC_STATUS;
    r->ints[LOYALTY_SYNC_IS_RUNNING] = st.running ? 1 : 0;
    r->ints[LOYALTY_SYNC_LAST_SUCCESS_MS] = Ms(st.last_success);
    r->ints[LOYALTY_SYNC_LAST_ATTEMPT_MS] = Ms(st.last_attempt);
    r->ints[LOYALTY_SYNC_HEAD_SEQ] = st.head_seq;
    r->ints[LOYALTY_SYNC_ACKED_SEQ] = st.acked_seq;
    r->ints[LOYALTY_SYNC_BACKLOG] = st.backlog;
    r->ints[LOYALTY_SYNC_LAST_ERROR_CODE] = static_cast<int>(st.last_error.code());
    r->strings[LOYALTY_SYNC_LAST_ERROR] = st.last_error.message();
    r->ints[LOYALTY_SYNC_CONSECUTIVE_FAILURES] = st.consecutive_failures;
    r->ints[LOYALTY_SYNC_NEXT_ATTEMPT_MS] = Ms(st.next_attempt);
    r->ints[LOYALTY_SYNC_EXCEPTION_COUNT] = st.exceptions;
    r->ints[LOYALTY_SYNC_PROGRAM_VERSION] = st.program_version;
    r->ints[LOYALTY_SYNC_CLOCK_OFFSET_MS] = st.clock_offset.count();
    r->ints[LOYALTY_SYNC_IS_HALTED] = st.halted ? 1 : 0;
    return loyalty::capi::Give(std::move(r), out);
  });
}

loyalty_status loyalty_sync_exceptions(loyalty_sync* sync, loyalty_result** out) {
  return Guard([&] {
    if (out == nullptr) return Missing("out");
    *out = nullptr;
    if (sync == nullptr) return Missing("sync");
    auto exceptions = sync->sync->Exceptions();
    if (!exceptions.ok()) return Report(exceptions.status());
    auto r = std::make_unique<loyalty_result>();
    r->kind = LOYALTY_KIND_SYNC_EXCEPTIONS;
    auto& items = r->items[LOYALTY_SYNC_EXCEPTIONS];
    for (const loyalty::SyncException& e : *exceptions) {
      auto item = std::make_unique<loyalty_result>();
      item->kind = LOYALTY_KIND_SYNC_EXCEPTION;
      item->ints[LOYALTY_SYNC_EXCEPTION_SEQ] = e.seq;
      item->strings[LOYALTY_SYNC_EXCEPTION_STATUS] = e.status;
      item->strings[LOYALTY_SYNC_EXCEPTION_REASON] = e.reason;
      item->strings[LOYALTY_SYNC_EXCEPTION_BATCH_ID] = e.batch_id;
      item->ints[LOYALTY_SYNC_EXCEPTION_AT_MS] = e.at.time_since_epoch().count();
      items.push_back(std::move(item));
    }
    return loyalty::capi::Give(std::move(r), out);
  });
}

}  // extern "C"
