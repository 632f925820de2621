// Options, opening and closing a terminal, the program.
#include "capi/capi_internal.hpp"

using loyalty::StatusCode;
using loyalty::capi::Fail;
using loyalty::capi::Guard;
using loyalty::capi::Missing;
using loyalty::capi::Ok;
using loyalty::capi::Report;
using loyalty::capi::Text;

namespace {

template <typename Set>
loyalty_status SetOption(loyalty_options* options, Set set) {
  return Guard([&] {
    if (options == nullptr) return Missing("options");
    return set(options->options);
  });
}

}  // namespace

extern "C" {

loyalty_status loyalty_options_new(loyalty_options** out) {
  return Guard([&] {
    if (out == nullptr) return Missing("out");
    *out = new loyalty_options();
    return Ok();
  });
}

void loyalty_options_free(loyalty_options* options) { delete options; }

loyalty_status loyalty_options_set_database_path(loyalty_options* options, const char* path) {
  return SetOption(options, [&](loyalty::Options& o) {
    o.database_path = Text(path);
    return Ok();
  });
}

loyalty_status loyalty_options_set_terminal_id(loyalty_options* options,
                                               const char* terminal_id) {
  return SetOption(options, [&](loyalty::Options& o) {
    o.terminal_id = Text(terminal_id);
    return Ok();
  });
}

loyalty_status loyalty_options_set_store_id(loyalty_options* options, const char* store_id) {
  return SetOption(options, [&](loyalty::Options& o) {
    o.store_id = Text(store_id);
    return Ok();
  });
}

loyalty_status loyalty_options_set_terminal_key(loyalty_options* options, const void* key,
                                                size_t length) {
  return SetOption(options, [&](loyalty::Options& o) {
    if (key == nullptr && length > 0) return Missing("key");
    o.terminal_key.assign(static_cast<const char*>(key), length);
    return Ok();
  });
}

loyalty_status loyalty_options_set_terminal_key_file(loyalty_options* options,
                                                    const char* path) {
  return SetOption(options, [&](loyalty::Options& o) {
    o.terminal_key_file = Text(path);
    return Ok();
  });
}

loyalty_status loyalty_options_set_allow_unsigned_program_change(loyalty_options* options,
                                                                 int on) {
  return SetOption(options, [&](loyalty::Options& o) {
    o.allow_unsigned_program_change = on != 0;
    return Ok();
  });
}

loyalty_status loyalty_options_set_read_only(loyalty_options* options, int on) {
  return SetOption(options, [&](loyalty::Options& o) {
    o.read_only = on != 0;
    return Ok();
  });
}

loyalty_status loyalty_options_set_ledger_must_exist(loyalty_options* options, int on) {
  return SetOption(options, [&](loyalty::Options& o) {
    o.ledger_must_exist = on != 0;
    return Ok();
  });
}

loyalty_status loyalty_options_set_card_key(loyalty_options* options, const void* key,
                                            size_t length) {
  return SetOption(options, [&](loyalty::Options& o) {
    if (key == nullptr && length > 0) return Missing("key");
    o.card_key.assign(static_cast<const char*>(key), length);
    return Ok();
  });
}

loyalty_status loyalty_options_set_program_path(loyalty_options* options, const char* path) {
  return SetOption(options, [&](loyalty::Options& o) {
    o.program_path = Text(path);
    return Ok();
  });
}

loyalty_status loyalty_options_set_program_public_key(loyalty_options* options,
                                                      const char* pem) {
  return SetOption(options, [&](loyalty::Options& o) {
    o.program_public_key_pem = Text(pem);
    return Ok();
  });
}

loyalty_status loyalty_options_set_synchronous_full(loyalty_options* options, int on) {
  return SetOption(options, [&](loyalty::Options& o) {
    o.synchronous_full = on != 0;
    return Ok();
  });
}

loyalty_status loyalty_options_set_busy_timeout_ms(loyalty_options* options, int ms) {
  return SetOption(options, [&](loyalty::Options& o) {
    if (ms < 0) {
      return Fail(StatusCode::kInvalidArgument,
                  "busy_timeout_ms: " + std::to_string(ms) + " is negative");
    }
    o.busy_timeout_ms = ms;
    return Ok();
  });
}

loyalty_status loyalty_options_set_clock(loyalty_options* options, loyalty_clock_fn now_ms,
                                         void* user_data) {
  return Guard([&] {
    if (options == nullptr) return Missing("options");
    options->clock_fn = now_ms;
    options->clock_user = now_ms ? user_data : nullptr;
    return Ok();
  });
}

loyalty_status loyalty_options_set_log(loyalty_options* options, loyalty_log_fn log,
                                       void* user_data) {
  return SetOption(options, [&](loyalty::Options& o) {
    o.log = loyalty::capi::LogFromC(log, user_data);
    return Ok();
  });
}

loyalty_status loyalty_open(const loyalty_options* options, loyalty_terminal** out) {
  return Guard([&] {
    if (out == nullptr) return Missing("out");
    *out = nullptr;
    if (options == nullptr) return Missing("options");
    auto open = std::make_shared<loyalty::capi::OpenTerminal>();
    loyalty::Options copy = options->options;
    if (options->clock_fn != nullptr) {
      open->clock = std::make_unique<loyalty::capi::CallbackClock>(options->clock_fn,
                                                                    options->clock_user);
      copy.clock = open->clock.get();
    }
    auto terminal = loyalty::Terminal::Open(std::move(copy));
    if (!terminal.ok()) return Report(terminal.status());
    open->terminal = std::move(*terminal);
    loyalty::Terminal* raw = open->terminal.get();
    *out = new loyalty_terminal{std::shared_ptr<loyalty::Terminal>(std::move(open), raw)};
    return Ok();
  });
}

void loyalty_close(loyalty_terminal* terminal) { delete terminal; }

loyalty_status loyalty_load_program(loyalty_terminal* terminal, const char* path) {
  return Guard([&] {
    if (terminal == nullptr) return Missing("terminal");
    if (path == nullptr) return Missing("path");
    return Report(terminal->terminal->LoadProgram(path));
  });
}

loyalty_status loyalty_program(loyalty_terminal* terminal, loyalty_result** out) {
  return Guard([&] {
    if (out == nullptr) return Missing("out");
    *out = nullptr;
    if (terminal == nullptr) return Missing("terminal");
    return loyalty::capi::Give(loyalty::capi::FromProgram(terminal->terminal->program()), out);
  });
}

}  // extern "C"
