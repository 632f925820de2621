// libloyalty.so's reader calls: they load libloyalty_readers.so on first
// use and forward to it, so the core library needs neither libnfc nor
// pcsc-lite. Where from: $LOYALTY_READERS_LIBRARY when set, else beside
// libloyalty.so itself (a build folder, an install, a wheel), else the
// system's library path. A till without the readers library gets
// LOYALTY_UNSUPPORTED naming what was looked for.
#include <dlfcn.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <string>

#include "capi/capi_internal.hpp"
#include "capi/readers_table.hpp"

using loyalty::StatusCode;
using loyalty::capi::Fail;
using loyalty::capi::Guard;
using loyalty::capi::Missing;
using loyalty::capi::Ok;

namespace {

const std::string kSoname =
    "libloyalty_readers.so." + std::to_string(LOYALTY_VERSION_MAJOR);

struct Loaded {
  const loyalty_readers_table* table = nullptr;
  std::string error;  // why there is no table
};

// Where libloyalty.so was loaded from: its readers sit beside it.
std::string BesideThisLibrary() {
  Dl_info info{};
  // Any function of this library will do; dladdr takes its address.
  if (dladdr(reinterpret_cast<void*>(&loyalty_version_number), &info) == 0 ||
      info.dli_fname == nullptr) {
    return {};
  }
  const std::filesystem::path self(info.dli_fname);
  if (!self.has_parent_path()) return {};
  return (self.parent_path() / kSoname).string();
}

Loaded Load() {
  Loaded loaded;
  std::string tried;
  void* handle = nullptr;
  std::string from;
  auto attempt = [&](const std::string& name) {
    if (handle != nullptr || name.empty()) return;
    handle = dlopen(name.c_str(), RTLD_NOW | RTLD_LOCAL);
    from = name;
    if (handle == nullptr) {
      const char* why = dlerror();
      tried += (tried.empty() ? "" : "; ") + std::string(why ? why : name);
    }
  };
  if (const char* env = std::getenv("LOYALTY_READERS_LIBRARY"); env != nullptr && *env != '\0') {
    attempt(env);  // named on purpose: nothing else is tried
  } else {
    const std::string beside = BesideThisLibrary();
    if (!beside.empty() && std::filesystem::exists(beside)) attempt(beside);
    attempt(kSoname);
  }
  if (handle == nullptr) {
    loaded.error = "card readers are not installed: " + kSoname + " could not be loaded (" +
                   tried + ")";
    return loaded;
  }
  auto entry = reinterpret_cast<loyalty_readers_table_fn>(dlsym(handle, kLoyaltyReadersTableSymbol));
  const loyalty_readers_table* table = entry ? entry() : nullptr;
  if (table == nullptr) {
    loaded.error = from + " has no " + kLoyaltyReadersTableSymbol + ": not a readers library";
  } else if (table->size != sizeof(loyalty_readers_table) ||
             std::strcmp(table->version, LOYALTY_VERSION_STRING) != 0) {
    loaded.error = from + " is version " + std::string(table->version) + ", libloyalty.so is " +
                   LOYALTY_VERSION_STRING + ": install the readers library of the same build";
  } else {
    loaded.table = table;
    return loaded;  // stays loaded for the life of the process
  }
  dlclose(handle);
  return loaded;
}

const Loaded& Readers() {
  static const Loaded loaded = Load();
  return loaded;
}

// The readers library's answer, with its error text made ours.
loyalty_status Forwarded(loyalty_status status) {
  if (status == LOYALTY_OK) return Ok();
  return Fail(static_cast<StatusCode>(status), Readers().table->last_error());
}

loyalty_status NotInstalled() { return Fail(StatusCode::kUnsupported, Readers().error); }

}  // namespace

extern "C" {

loyalty_status loyalty_reader_options_new(loyalty_reader_options** out) {
  return Guard([&] {
    if (out == nullptr) return Missing("out");
    *out = nullptr;
    if (Readers().table == nullptr) return NotInstalled();
    return Forwarded(Readers().table->options_new(out));
  });
}

void loyalty_reader_options_free(loyalty_reader_options* options) {
  if (options != nullptr) Readers().table->options_free(options);  // it made them
}

loyalty_status loyalty_reader_options_set_log(loyalty_reader_options* options,
                                              loyalty_log_fn log, void* user_data) {
  return Guard([&] {
    if (options == nullptr) return Missing("options");
    return Forwarded(Readers().table->options_set_log(options, log, user_data));
  });
}

loyalty_status loyalty_reader_options_set_sun(loyalty_reader_options* options,
                                              const uint8_t meta_read_key[16],
                                              loyalty_sun_file_key_fn file_key, void* user_data,
                                              const char* counter_file) {
  return Guard([&] {
    if (options == nullptr) return Missing("options");
    return Forwarded(
        Readers().table->options_set_sun(options, meta_read_key, file_key, user_data, counter_file));
  });
}

loyalty_status loyalty_reader_open_with(const char* connection,
                                        const loyalty_reader_options* options,
                                        loyalty_reader** out) {
  return Guard([&] {
    if (out == nullptr) return Missing("out");
    *out = nullptr;
    if (connection == nullptr) return Missing("connection");
    if (Readers().table == nullptr) {
      return Fail(StatusCode::kUnsupported,
                  "connection '" + std::string(connection) + "': " + Readers().error);
    }
    return Forwarded(Readers().table->open_with(connection, options, out));
  });
}

loyalty_status loyalty_reader_open(const char* connection, loyalty_reader** out) {
  return loyalty_reader_open_with(connection, nullptr, out);
}

loyalty_status loyalty_reader_wait(loyalty_reader* reader, int64_t timeout_ms,
                                   loyalty_result** out) {
  return Guard([&] {
    if (out == nullptr) return Missing("out");
    *out = nullptr;
    if (reader == nullptr) return Missing("reader");
    return Forwarded(Readers().table->wait(reader, timeout_ms, out));
  });
}

loyalty_status loyalty_reader_cancel(loyalty_reader* reader) {
  return Guard([&] {
    if (reader == nullptr) return Missing("reader");
    return Forwarded(Readers().table->cancel(reader));
  });
}

loyalty_status loyalty_reader_restart(loyalty_reader* reader) {
  return Guard([&] {
    if (reader == nullptr) return Missing("reader");
    return Forwarded(Readers().table->restart(reader));
  });
}

void loyalty_reader_close(loyalty_reader* reader) {
  if (reader != nullptr) Readers().table->close(reader);  // it opened it
}

}  // extern "C"
