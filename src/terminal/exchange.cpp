// An exchange: lines of an earlier sale come back and other goods are
// bought, in one transaction and under one op_id. The return half is the
// refund by lines, the purchase half the sale, each with its receipt.
#include "loyalty/terminal.hpp"

#include <mutex>

#include "terminal/terminal_impl.hpp"

namespace loyalty {

Result<ExchangeReceipt> Terminal::Exchange(const ExchangeRequest& request) {
  Impl& im = *impl_;
  if (Status s = im.CheckWritable("Exchange"); !s.ok()) return s;
  if (Status s = terminal::CheckOpId(request.op_id); !s.ok()) return s;
  if (request.returned.empty()) {
    return Status(StatusCode::kInvalidArgument,
                  "returned: an exchange brings back at least one line of sale '" +
                      request.sale_op_id + "'");
  }
  if (!request.purchase.op_id.empty() && request.purchase.op_id != request.op_id) {
    return Status(StatusCode::kInvalidArgument,
                  "purchase.op_id: '" + request.purchase.op_id +
                      "' is not the exchange's op_id '" + request.op_id + "' (leave it empty)");
  }
  Checkout purchase = request.purchase;
  purchase.op_id = request.op_id;
  if (Status s = Impl::CheckCheckout(purchase); !s.ok()) {
    return Status(s.code(), "purchase." + s.message());
  }
  terminal::RequestDigest digest_builder;
  digest_builder.Add(request.sale_op_id)
      .Add(static_cast<std::int64_t>(request.returned.size()));
  for (const ReturnLine& line : request.returned) {
    digest_builder.Add(line.line_no).Add(line.quantity);
  }
  digest_builder.Add(Impl::CheckoutDigest(purchase));
  const std::string digest = digest_builder.Finish();

  std::lock_guard<std::mutex> guard(im.mutex);
  ledger::Transaction tx(im.ledger->database());
  if (!tx.begun().ok()) return tx.begun();
  auto stored = im.ledger->FindOperation(request.op_id);
  if (!stored.ok()) return stored.status();
  if (*stored) {
    if ((*stored)->kind != "exchange" || !ledger::SameMac((*stored)->digest, digest)) {
      return Status(StatusCode::kDuplicateIdConflict,
                    "op_id '" + request.op_id + "' was already used for a " +
                        (*stored)->kind + " with other content");
    }
    auto halves = terminal::ReceiptsFromJson((*stored)->receipt_json);
    if (!halves.ok()) return halves.status();
    if (halves->size() != 2) {
      return Status(StatusCode::kDatabaseCorrupt,
                    "exchange '" + request.op_id + "': stored receipt is not two halves");
    }
    ExchangeReceipt replay{std::move((*halves)[0]), std::move((*halves)[1]), true};
    replay.returned.replayed = replay.bought.replayed = true;
    return replay;
  }
  // The new goods go on the same customer as the goods that came back.
  auto card = im.FindCard(purchase.card, /*refuse_blocked=*/true);
  if (!card.ok()) return Status(card.status().code(), "purchase." + card.status().message());
  auto sale = im.ledger->EntriesOfOperation(request.sale_op_id);
  if (!sale.ok()) return sale.status();
  for (const ledger::EntryRecord& e : *sale) {
    if (e.kind == EntryKind::kEarn && !e.ref && !e.reverses_seq &&
        e.account_id != card->account_id) {
      return Status(StatusCode::kInvalidArgument,
                    "purchase.card: " + purchase.card.Masked() + " is not on the account of sale '" +
                        request.sale_op_id + "'");
    }
  }
  auto returned = im.Reverse(request.op_id, request.sale_op_id, std::nullopt, request.returned,
                             /*is_void=*/false, "exchange");
  if (!returned.ok()) return returned.status();
  auto bought = im.Sell(purchase);
  if (!bought.ok()) return bought.status();
  returned->op_id = bought->op_id = request.op_id;
  ExchangeReceipt receipt{std::move(*returned), std::move(*bought), false};
  if (Status s = im.ledger->SaveOperation(
          request.op_id, "exchange", digest,
          terminal::ReceiptsToJson({receipt.returned, receipt.bought}));
      !s.ok()) {
    return s;
  }
  if (Status s = im.SaveCashier(request.op_id, purchase.cashier_id); !s.ok()) return s;
  if (Status s = tx.Commit(); !s.ok()) return s;
  im.Log(LogLevel::kInfo, "exchange " + request.op_id + " on card " +
                              receipt.bought.card_masked + ": returned " +
                              std::to_string(-receipt.returned.earned) + " earned, bought " +
                              std::to_string(receipt.bought.earned));
  return receipt;
}

}  // namespace loyalty
