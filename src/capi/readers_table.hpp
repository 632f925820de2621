// The seam between libloyalty.so and libloyalty_readers.so: the readers
// library exports one function, loyalty_readers_table_v1, that answers
// these entry points; libloyalty.so forwards its loyalty_reader_* calls to
// them. A till without card readers then needs neither the readers library
// nor libnfc and pcsc-lite. Both libraries come from one build: the table
// carries the version, and a library of another version is refused.
#pragma once

#include <cstddef>
#include <cstdint>

#include "loyalty/loyalty.h"

extern "C" {

struct loyalty_readers_table {
  std::size_t size;     // sizeof(loyalty_readers_table) of the readers library
  const char* version;  // its LOYALTY_VERSION_STRING
  loyalty_status (*options_new)(loyalty_reader_options** out);
  void (*options_free)(loyalty_reader_options* options);
  loyalty_status (*options_set_log)(loyalty_reader_options* options, loyalty_log_fn log,
                                    void* user_data);
  loyalty_status (*options_set_sun)(loyalty_reader_options* options,
                                    const std::uint8_t meta_read_key[16],
                                    loyalty_sun_file_key_fn file_key, void* user_data,
                                    const char* counter_file);
  loyalty_status (*open_with)(const char* connection, const loyalty_reader_options* options,
                              loyalty_reader** out);
  loyalty_status (*wait)(loyalty_reader* reader, std::int64_t timeout_ms, loyalty_result** out);
  loyalty_status (*cancel)(loyalty_reader* reader);
  loyalty_status (*restart)(loyalty_reader* reader);
  void (*close)(loyalty_reader* reader);
  // The readers library keeps its own thread-local error text.
  const char* (*last_error)();
};

using loyalty_readers_table_fn = const loyalty_readers_table* (*)();

}  // extern "C"

// The symbol libloyalty.so looks up in the readers library.
inline constexpr const char* kLoyaltyReadersTableSymbol = "loyalty_readers_table_v1";
