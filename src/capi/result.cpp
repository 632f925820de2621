// Version, status names, the thread-local error text and the keyed
// getters of loyalty_result.
#include <string>

// The header's version macros must be the build's: read loyalty.h alone,
// keep its numbers, then compare them with the ones CMake generated from
// project(VERSION) into version.hpp.
#include "loyalty/loyalty.h"
namespace {
constexpr int kHeaderMajor = LOYALTY_VERSION_MAJOR;
constexpr int kHeaderMinor = LOYALTY_VERSION_MINOR;
constexpr int kHeaderPatch = LOYALTY_VERSION_PATCH;
}  // namespace
#undef LOYALTY_VERSION_MAJOR
#undef LOYALTY_VERSION_MINOR
#undef LOYALTY_VERSION_PATCH
#undef LOYALTY_VERSION_STRING
#include "loyalty/version.hpp"
static_assert(kHeaderMajor == LOYALTY_VERSION_MAJOR && kHeaderMinor == LOYALTY_VERSION_MINOR &&
                  kHeaderPatch == LOYALTY_VERSION_PATCH,
              "include/loyalty/loyalty.h: LOYALTY_VERSION_* differ from project(VERSION)");

#include "capi/capi_internal.hpp"

namespace loyalty::capi {
namespace {

thread_local std::string last_error;

const char* KindName(int kind) {
  switch (kind) {
    case LOYALTY_KIND_CARD: return "card view";
    case LOYALTY_KIND_REWARD: return "reward";
    case LOYALTY_KIND_QUOTE: return "quote";
    case LOYALTY_KIND_RECEIPT: return "receipt";
    case LOYALTY_KIND_HISTORY: return "history";
    case LOYALTY_KIND_ENTRY: return "entry";
    case LOYALTY_KIND_VERIFY: return "verify report";
    case LOYALTY_KIND_PROGRAM: return "program";
    case LOYALTY_KIND_EXPIRY: return "expiry";
    case LOYALTY_KIND_EXPLANATION: return "explanation";
    case LOYALTY_KIND_REPORT: return "till report";
    case LOYALTY_KIND_FIGURES: return "till figures";
    case LOYALTY_KIND_CARD_READ: return "card read";
    case LOYALTY_KIND_STAMPS: return "stamp card";
    case LOYALTY_KIND_BALANCE: return "balance";
    case LOYALTY_KIND_SYNC_STATUS: return "sync status";
    case LOYALTY_KIND_SYNC_EXCEPTIONS: return "sync exceptions";
    case LOYALTY_KIND_SYNC_EXCEPTION: return "sync exception";
    case LOYALTY_KIND_REFUSED_REWARD: return "refused reward";
    case LOYALTY_KIND_EXCHANGE: return "exchange";
  }
  return "unknown kind";
}

// Says why `key` is not a `wanted` key of `result`.
loyalty_status WrongKey(const loyalty_result* result, int key, const char* wanted) {
  std::string message = "key: " + std::to_string(key);
  if (key / 100 != result->kind) {
    message += " is not a key of a " + std::string(KindName(result->kind)) + " (its keys are " +
               std::to_string(result->kind * 100) + " to " +
               std::to_string(result->kind * 100 + 99) + ")";
  } else {
    message += " of a " + std::string(KindName(result->kind)) + " is not " + wanted;
  }
  return Fail(StatusCode::kInvalidArgument, message);
}

loyalty_status OutOfRange(int key, size_t index, size_t count) {
  return Fail(StatusCode::kInvalidArgument,
              "index: " + std::to_string(index) + " but key " + std::to_string(key) +
                  " has " + std::to_string(count) + " items");
}

}  // namespace

loyalty_status Report(const Status& status) noexcept {
  try {
    last_error = status.message();
  } catch (...) {
    last_error.clear();
  }
  return static_cast<loyalty_status>(static_cast<int>(status.code()));
}

loyalty_status Fail(StatusCode code, const std::string& message) noexcept {
  try {
    return Report(Status(code, message));
  } catch (...) {
    last_error.clear();
    return static_cast<loyalty_status>(static_cast<int>(code));
  }
}

void MarkItemsBorrowed(loyalty_result& result) noexcept {
  for (auto& [key, list] : result.items) {
    for (auto& item : list) {
      item->borrowed = true;
      MarkItemsBorrowed(*item);
    }
  }
}

Result<CardId> ParseCard(const char* text, const char* field) {
  if (text == nullptr) {
    return Status(StatusCode::kInvalidArgument, std::string(field) + ": is NULL");
  }
  auto card = CardId::Parse(text);
  if (!card.ok() && std::string(field) != "card") {
    // CardId names the field "card"; say which argument it was.
    return Status(card.status().code(), std::string(field) + " " + card.status().message());
  }
  return card;
}

}  // namespace loyalty::capi

using loyalty::StatusCode;
using loyalty::capi::Fail;
using loyalty::capi::Guard;
using loyalty::capi::Missing;
using loyalty::capi::Ok;

extern "C" {

const char* loyalty_version(void) { return loyalty::Version(); }

int loyalty_version_number(void) {
  return LOYALTY_VERSION_MAJOR * 10000 + LOYALTY_VERSION_MINOR * 100 + LOYALTY_VERSION_PATCH;
}

const char* loyalty_status_name(int status) {
  return loyalty::StatusCodeName(static_cast<StatusCode>(status));
}

const char* loyalty_last_error(void) { return loyalty::capi::last_error.c_str(); }

loyalty_status loyalty_result_kind_of(const loyalty_result* result, int* out) {
  return Guard([&] {
    if (out == nullptr) return Missing("out");
    *out = 0;
    if (result == nullptr) return Missing("result");
    *out = result->kind;
    return Ok();
  });
}

loyalty_status loyalty_result_int(const loyalty_result* result, int key, int64_t* out) {
  return Guard([&] {
    if (out == nullptr) return Missing("out");
    *out = 0;
    if (result == nullptr) return Missing("result");
    auto it = result->ints.find(key);
    if (it == result->ints.end()) return loyalty::capi::WrongKey(result, key, "an integer");
    *out = it->second;
    return Ok();
  });
}

loyalty_status loyalty_result_string(const loyalty_result* result, int key,
                                     const char** out) {
  return Guard([&] {
    if (out == nullptr) return Missing("out");
    *out = nullptr;
    if (result == nullptr) return Missing("result");
    auto it = result->strings.find(key);
    if (it == result->strings.end()) return loyalty::capi::WrongKey(result, key, "a string");
    *out = it->second.c_str();
    return Ok();
  });
}

loyalty_status loyalty_result_count(const loyalty_result* result, int key, size_t* out) {
  return Guard([&] {
    if (out == nullptr) return Missing("out");
    *out = 0;
    if (result == nullptr) return Missing("result");
    if (auto it = result->int_lists.find(key); it != result->int_lists.end()) {
      *out = it->second.size();
    } else if (auto st = result->string_lists.find(key); st != result->string_lists.end()) {
      *out = st->second.size();
    } else if (auto items = result->items.find(key); items != result->items.end()) {
      *out = items->second.size();
    } else {
      return loyalty::capi::WrongKey(result, key, "a list");
    }
    return Ok();
  });
}

loyalty_status loyalty_result_int_at(const loyalty_result* result, int key, size_t index,
                                     int64_t* out) {
  return Guard([&] {
    if (out == nullptr) return Missing("out");
    *out = 0;
    if (result == nullptr) return Missing("result");
    auto it = result->int_lists.find(key);
    if (it == result->int_lists.end()) {
      return loyalty::capi::WrongKey(result, key, "a list of integers");
    }
    if (index >= it->second.size()) {
      return loyalty::capi::OutOfRange(key, index, it->second.size());
    }
    *out = it->second[index];
    return Ok();
  });
}

loyalty_status loyalty_result_string_at(const loyalty_result* result, int key, size_t index,
                                        const char** out) {
  return Guard([&] {
    if (out == nullptr) return Missing("out");
    *out = nullptr;
    if (result == nullptr) return Missing("result");
    auto it = result->string_lists.find(key);
    if (it == result->string_lists.end()) {
      return loyalty::capi::WrongKey(result, key, "a list of strings");
    }
    if (index >= it->second.size()) {
      return loyalty::capi::OutOfRange(key, index, it->second.size());
    }
    *out = it->second[index].c_str();
    return Ok();
  });
}

loyalty_status loyalty_result_item_at(const loyalty_result* result, int key, size_t index,
                                      const loyalty_result** out) {
  return Guard([&] {
    if (out == nullptr) return Missing("out");
    *out = nullptr;
    if (result == nullptr) return Missing("result");
    auto it = result->items.find(key);
    if (it == result->items.end()) {
      return loyalty::capi::WrongKey(result, key, "a list of results");
    }
    if (index >= it->second.size()) {
      return loyalty::capi::OutOfRange(key, index, it->second.size());
    }
    *out = it->second[index].get();
    return Ok();
  });
}

void loyalty_result_free(loyalty_result* result) {
  // A borrowed item belongs to its parent, which frees it.
  if (result != nullptr && result->borrowed) return;
  delete result;
}

}  // extern "C"
