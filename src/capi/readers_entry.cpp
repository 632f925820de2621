// The one symbol libloyalty_readers.so exports (loyalty_readers.map): its
// reader calls, for libloyalty.so to forward to.
#include "capi/readers_table.hpp"

extern "C" LOYALTY_EXPORT const loyalty_readers_table*
loyalty_readers_table_v1() {
  static const loyalty_readers_table table{
      sizeof(loyalty_readers_table),
      LOYALTY_VERSION_STRING,
      loyalty_reader_options_new,
      loyalty_reader_options_free,
      loyalty_reader_options_set_log,
      loyalty_reader_options_set_sun,
      loyalty_reader_open_with,
      loyalty_reader_wait,
      loyalty_reader_cancel,
      loyalty_reader_restart,
      loyalty_reader_close,
      loyalty_last_error,
  };
  return &table;
}
