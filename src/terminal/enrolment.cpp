// Enrolment: a new card on a new or an existing account, the sign-up
// bonus.
#include "loyalty/terminal.hpp"

#include <charconv>
#include <chrono>

#include "engine/card_rules.hpp"
#include "terminal/terminal_impl.hpp"
#include "terminal/request_checks.hpp"

namespace loyalty {

using ledger::EntryRecord;

Result<Receipt> Terminal::Enroll(const Enrollment& request) {
  Impl& im = *impl_;
  if (Status s = terminal::CheckRequest(request); !s.ok()) return s;
  if (Status s = engine::CheckCardNumber(im.program.cards, request.card); !s.ok()) {
    return s;
  }
  // "MM-DD", or the month and day of "YYYY-MM-DD".
  std::string birthday = request.birthday;
  if (birthday.size() == 10) birthday = birthday.substr(5);
  if (!birthday.empty()) {
    unsigned month = 0;
    unsigned day = 0;
    // from_chars, unlike sscanf's %u, takes no sign or space and says when
    // it read nothing.
    auto two_digits = [&birthday](std::size_t at, unsigned& out) {
      const char* first = birthday.data() + at;
      auto [end, error] = std::from_chars(first, first + 2, out);
      return error == std::errc() && end == first + 2;
    };
    if (birthday.size() != 5 || birthday[2] != '-' || !two_digits(0, month) ||
        !two_digits(3, day) ||
        !std::chrono::month_day{std::chrono::month{month}, std::chrono::day{day}}.ok()) {
      return Status(StatusCode::kInvalidArgument,
                    "birthday: '" + request.birthday + "' is not MM-DD or YYYY-MM-DD");
    }
  }
  terminal::RequestDigest digest_builder;
  digest_builder.Add(request.card.value()).Add(request.account_id).Add(request.name);
  // Libraries before schema 6 stored enrolments without birthday and
  // referrer: the same enrolment without them replays what they stored.
  std::vector<std::string> older;
  if (birthday.empty() && request.referrer.empty()) older.push_back(digest_builder.Finish());
  const std::string digest =
      digest_builder.Add(birthday).Add(request.referrer.value()).Finish();
  return im.Operation(request.op_id, "enroll", digest, [&]() -> Result<Receipt> {
    std::string referred_by;
    if (!request.referrer.empty()) {
      auto referrer = im.FindCard(request.referrer, /*refuse_blocked=*/true);
      if (!referrer.ok()) {
        return Status(referrer.status().code(), "referrer: " + referrer.status().message());
      }
      referred_by = referrer->account_id;
    }
    const std::string hash = im.CardHash(request.card);
    auto existing = im.ledger->FindCard(hash);
    if (!existing.ok()) return existing.status();
    if (*existing) {
      return Status(StatusCode::kCardAlreadyEnrolled,
                    "card " + request.card.Masked() + ": already on account " +
                        (*existing)->account_id);
    }
    const std::int64_t now = im.NowMs();
    std::string account_id = request.account_id;
    if (account_id.empty()) {
      account_id = im.ids->NewId();
      if (account_id.empty()) {
        return Status(StatusCode::kInternal, "could not draw a new account id");
      }
      ledger::AccountRow row{account_id, request.name, now, 0, 0, birthday, referred_by};
      if (Status s = im.ledger->InsertAccount(row); !s.ok()) return s;
    } else {
      auto account = im.ledger->FindAccount(account_id);
      if (!account.ok()) return account.status();
      if (!*account) {
        return Status(StatusCode::kNotFound,
                      "account_id: '" + account_id + "' is not an account here");
      }
    }
    if (Status s = im.ledger->InsertCard(hash, account_id, request.card.Masked(), now);
        !s.ok()) {
      return s;
    }
    auto book = im.ledger->LoadBook(account_id);
    if (!book.ok()) return book.status();
    EntryRecord e = im.NewEntry(request.op_id, EntryKind::kEnroll, account_id, now);
    e.note = "card " + request.card.Masked();
    if (Status s = im.Post(*book, e); !s.ok()) return s;
    Receipt r;
    r.entry_seqs.push_back(e.seq);
    if (request.account_id.empty() && im.program.signup_bonus > 0) {
      EntryRecord bonus = im.NewEntry(request.op_id, EntryKind::kEarn, account_id, now);
      bonus.points = im.program.signup_bonus;
      im.SetCreditDates(bonus);
      bonus.pending_until = now;  // nothing to return: spendable at once
      bonus.note = "sign-up bonus";
      if (Status s = im.Post(*book, bonus); !s.ok()) return s;
      if (Status s = im.ledger->SaveBook(account_id, *book, now); !s.ok()) return s;
      r.earned = bonus.points;
      r.entry_seqs.push_back(bonus.seq);
      r.explanations.push_back({"signup", bonus.points,
                                "sign-up bonus: " + std::to_string(bonus.points) + " points"});
    }
    auto view = im.View(account_id, *book, request.card.Masked(), false, now);
    if (!view.ok()) return view.status();
    r.account_id = account_id;
    r.card_masked = request.card.Masked();
    r.after = std::move(*view);
    return r;
  }, request.cashier_id, older);
}

}  // namespace loyalty
