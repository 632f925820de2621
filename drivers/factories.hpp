// One factory per reader family; OpenReader picks by connection scheme.
#pragma once

#include <memory>

#include "common/connection.hpp"
#include "loyalty/reader.hpp"

namespace loyalty::readers {

using ReaderResult = Result<std::unique_ptr<CardReader>>;

ReaderResult OpenSimReader(const Connection& connection, ReaderOptions options);
ReaderResult OpenEvdevSwipeReader(const Connection& connection, ReaderOptions options);
ReaderResult OpenSerialSwipeReader(const Connection& connection, ReaderOptions options);
// `libnfc_connstring` is what nfc_open() gets ("" = the first device found).
ReaderResult OpenNfcReader(const Connection& connection, std::string libnfc_connstring,
                           ReaderOptions options);
// The option sun=1 (NTAG 424 DNA secure messages only); kInvalidArgument
// when it is set without the keys in ReaderOptions::sun.
Result<bool> SunOption(const Connection& connection, const ReaderOptions& options);

// Defined only when pcsc-lite was found (LOYALTY_READERS_WITH_PCSC).
ReaderResult OpenPcscReader(const Connection& connection, ReaderOptions options);

}  // namespace loyalty::readers
