// What the till shows for a card read: in the core library, because it
// reads the terminal; the read itself comes from libloyalty_readers.so or
// from the POS's own reader (a loyalty_result of kind CARD_READ).
#include <chrono>
#include <string>

#include "capi/capi_internal.hpp"

using loyalty::StatusCode;
using loyalty::capi::Fail;
using loyalty::capi::Give;
using loyalty::capi::Guard;
using loyalty::capi::Missing;
using loyalty::capi::Report;

extern "C" {

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
