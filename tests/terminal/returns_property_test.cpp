// Property tests of returns (issue 17): random programs and random
// sequences of sales (rewards of every kind, points as tender, gift cards),
// partial and full returns, exchanges, voids, redemptions, expiry runs and
// clock advances, played on real ledgers. Every run checks that a quote equals its
// commit, that the entries sum to the balance, that the cached balance
// equals the lots and that Verify passes; each property compares two
// sequences that must end with the same balances.
//
// CI runs fixed seeds. By hand:
//   LOYALTY_PROPERTY_SEED=1234 build/release/tests/terminal_test --gtest_filter='ReturnsProperty*'
//   LOYALTY_PROPERTY_RUNS=5000 ...   (more sequences, seeds 1..N)
// A failure is shrunk (operations dropped, sales simplified while it still
// fails) and printed with its seed, its program and its operations.
#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>
#include <optional>
#include <random>
#include <sstream>

#include "support/test_env.hpp"

namespace loyalty {
namespace {

using testing::Card;

constexpr const char* kCard = "LC0001";
constexpr const char* kGiftCard = "GC-5555-0001";
constexpr std::int64_t kGiftLoad = 100'000;

// ---------------------------------------------------------------- programs

struct ProgramSpec {
  int points_per_euro = 1;
  std::string rounding = "down";
  bool dairy_double = false;
  int pending_days = 0;
  int expiry_days = 30;
  std::string point_value = "0.01";
  std::vector<std::string> rewards;  // JSON objects

  std::string Json() const {
    std::string extra = R"("tender": {"point_value": ")" + point_value + R"("},)" +
                        R"("points": {"pending_days": )" + std::to_string(pending_days) +
                        R"(, "expiry_days": )" + std::to_string(expiry_days) + "}";
    if (dairy_double) {
      extra += R"(, "rules": [{"id": "base", "points": )" + std::to_string(points_per_euro) +
               R"(, "per": "1.00", "rounding": ")" + rounding +
               R"("}, {"id": "dairy", "points": 1, "per": "1.00", "categories": ["dairy"]}])";
    }
    extra += R"(, "rewards": [)";
    for (size_t i = 0; i < rewards.size(); ++i) extra += (i ? ", " : "") + rewards[i];
    extra += "]";
    return R"({"format": 1, "id": "prop", "version": 1, "name": "Property",
               "currency": "EUR", )" +
           std::string(dairy_double ? "" : R"("earn": {"points": )" +
                                               std::to_string(points_per_euro) +
                                               R"(, "per": "1.00", "rounding": ")" +
                                               rounding + R"("}, )") +
           extra + "}";
  }
};

const std::vector<std::string> kSkus = {"A", "B", "C", "D"};
std::string CategoryOf(const std::string& sku) { return sku == "B" || sku == "D" ? "dairy" : "food"; }

ProgramSpec RandomProgram(std::mt19937_64& rng) {
  ProgramSpec p;
  p.points_per_euro = 1 + static_cast<int>(rng() % 3);
  p.rounding = std::vector<std::string>{"down", "up", "nearest"}[rng() % 3];
  p.dairy_double = rng() % 2 == 0;
  p.pending_days = rng() % 3 == 0 ? 2 : 0;
  p.expiry_days = 5 + static_cast<int>(rng() % 40);
  p.point_value = rng() % 2 ? "0.01" : "0.05";
  auto cost = [&] { return std::to_string(5 + rng() % 60); };
  auto sku = [&] { return kSkus[rng() % kSkus.size()]; };
  p.rewards = {
      R"({"id": "order-off", "kind": "order_amount", "cost": )" + cost() +
          R"(, "amount": ")" + std::to_string(1 + rng() % 5) + R"(.00"})",
      R"({"id": "order-pct", "kind": "order_percent", "cost": )" + cost() +
          R"(, "percent": )" + std::to_string(5 + rng() % 30) + "}",
      R"({"id": "line-off", "kind": "lines_amount", "cost": )" + cost() +
          R"(, "amount": "1.50", "products": [")" + sku() + R"("]})",
      R"({"id": "dairy-pct", "kind": "lines_percent", "cost": )" + cost() +
          R"(, "percent": 20, "categories": ["dairy"]})",
      R"({"id": "cheapest", "kind": "cheapest_free", "cost": )" + cost() +
          R"(, "categories": ["food", "dairy"]})",
      R"({"id": "free-one", "kind": "free_product", "cost": )" + cost() +
          R"(, "products": [")" + sku() + R"("]})",
  };
  return p;
}

// -------------------------------------------------------------- operations

struct Op {
  enum Kind {
    kSale, kReturnLines, kReturnAmount, kReturnRest, kVoid, kRedeem, kExpire, kAdvance,
    kExchange,  // lines of `sale` back (`lines`) and `basket` bought, id `id`
  };
  Kind kind = kSale;
  std::string id;       // the op id (sales: the sale's id, which returns name)
  std::string sale;     // returns and voids: the sale's op id
  Basket basket;
  std::vector<std::string> rewards;
  Points tender = 0;
  std::int64_t gift_minor = 0;
  std::vector<ReturnLine> lines;
  std::int64_t amount = 0;
  Points points = 0;
  int hours = 0;
  bool subject = false;  // the sale a property is about, and its returns
  bool split = false;    // an exchange played as a return, then a sale

  std::string Describe() const {
    std::ostringstream out;
    switch (kind) {
      case kSale:
        out << "sale " << id << " [";
        for (size_t i = 0; i < basket.lines.size(); ++i) {
          const BasketLine& l = basket.lines[i];
          out << (i ? ", " : "") << l.sku << " x" << l.quantity << " " << l.amount_minor;
        }
        out << "]";
        for (const auto& r : rewards) out << " reward " << r;
        if (tender) out << " tender " << tender;
        if (gift_minor) out << " gift " << gift_minor;
        break;
      case kReturnLines:
        out << "return " << id << " of " << sale << " lines";
        for (const ReturnLine& l : lines) out << " " << l.line_no << "x" << l.quantity;
        break;
      case kReturnAmount:
        out << "return " << id << " of " << sale << " amount " << amount;
        break;
      case kReturnRest:
        out << "return " << id << " of " << sale << " everything left";
        break;
      case kVoid:
        out << "void " << id << " of " << sale;
        break;
      case kRedeem:
        out << "redeem " << id << " " << points << " points";
        break;
      case kExpire:
        out << "expiry run " << id;
        break;
      case kAdvance:
        out << "clock +" << hours << " h";
        break;
      case kExchange:
        out << (split ? "return, then sale " : "exchange ") << id << " of " << sale << " lines";
        for (const ReturnLine& l : lines) out << " " << l.line_no << "x" << l.quantity;
        out << " for [";
        for (size_t i = 0; i < basket.lines.size(); ++i) {
          const BasketLine& l = basket.lines[i];
          out << (i ? ", " : "") << l.sku << " x" << l.quantity << " " << l.amount_minor;
        }
        out << "]";
        break;
    }
    if (subject) out << "  (subject)";
    return out.str();
  }
};

using Ops = std::vector<Op>;

std::string Describe(const Ops& ops) {
  std::string text;
  for (size_t i = 0; i < ops.size(); ++i) text += "  " + std::to_string(i) + ": " + ops[i].Describe() + "\n";
  return text;
}

struct Generator {
  std::mt19937_64& rng;
  int next = 0;

  std::string Id(const char* prefix) { return prefix + std::to_string(next++); }
  std::int64_t Between(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(hi - lo + 1));
  }

  Op Sale(bool may_spend) {
    Op op;
    op.kind = Op::kSale;
    op.id = Id("s");
    op.basket.currency = "EUR";
    const auto lines = Between(1, 4);
    for (std::int64_t i = 0; i < lines; ++i) {
      const std::string sku = kSkus[rng() % kSkus.size()];
      const std::int64_t qty = Between(1, 3);
      op.basket.lines.push_back({sku, CategoryOf(sku), qty, qty * Between(50, 3000), false});
    }
    if (may_spend) {
      static const std::vector<std::string> kRewardIds = {"order-off", "order-pct", "line-off",
                                                          "dairy-pct", "cheapest", "free-one"};
      for (const std::string& r : kRewardIds) {
        if (rng() % 5 == 0) op.rewards.push_back(r);
      }
      if (rng() % 3 == 0) op.tender = Between(1, 60);
      if (rng() % 4 == 0) op.gift_minor = Between(1, 2000);
    }
    return op;
  }

  Op Return(const Op& sale) {
    Op op;
    op.sale = sale.id;
    op.subject = sale.subject;
    const auto pick = rng() % 6;
    if (pick < 3) {
      op.kind = Op::kReturnLines;
      op.id = Id("rl");
      for (size_t i = 0; i < sale.basket.lines.size(); ++i) {
        if (rng() % 2) {
          op.lines.push_back({static_cast<std::int64_t>(i),
                              Between(1, sale.basket.lines[i].quantity)});
        }
      }
      if (op.lines.empty()) op.lines.push_back({0, 1});
    } else if (pick < 5) {
      op.kind = Op::kReturnAmount;
      op.id = Id("ra");
      op.amount = Between(1, 3000);
    } else {
      op.kind = rng() % 2 ? Op::kReturnRest : Op::kVoid;
      op.id = Id(op.kind == Op::kVoid ? "v" : "rr");
    }
    return op;
  }

  // Lines of `sale` back and a basket bought that spends nothing (so the
  // purchase cannot be refused once the return is accepted).
  Op Exchange(const Op& sale) {
    Op op = Sale(/*may_spend=*/false);
    op.kind = Op::kExchange;
    op.id = Id("xc");
    op.sale = sale.id;
    for (size_t i = 0; i < sale.basket.lines.size(); ++i) {
      if (rng() % 2) {
        op.lines.push_back({static_cast<std::int64_t>(i), Between(1, sale.basket.lines[i].quantity)});
      }
    }
    if (op.lines.empty()) op.lines.push_back({0, 1});
    return op;
  }

  Op Expire() { return Op{Op::kExpire, Id("x")}; }
  Op Advance() {
    Op op;
    op.kind = Op::kAdvance;
    op.hours = static_cast<int>(Between(1, 24 * 12));
    return op;
  }
  Op Redeem() {
    Op op;
    op.kind = Op::kRedeem;
    op.id = Id("rd");
    op.points = Between(1, 40);
    return op;
  }

  // Anything, in any order.
  Ops Mixed(int count, bool may_spend = true) {
    Ops ops;
    std::vector<size_t> sales;
    for (int i = 0; i < count; ++i) {
      const auto pick = rng() % 10;
      if (pick < 3 || sales.empty()) {
        sales.push_back(ops.size());
        ops.push_back(Sale(may_spend));
      } else if (pick < 6) {
        const Op& sale = ops[sales[rng() % sales.size()]];
        if (rng() % 5 == 0) {
          // What an exchange bought is a sale later operations may return.
          sales.push_back(ops.size());
          ops.push_back(Exchange(sale));
        } else {
          ops.push_back(Return(sale));
        }
      } else if (pick < 7 && may_spend) {
        ops.push_back(Redeem());
      } else if (pick < 8) {
        ops.push_back(Expire());
      } else {
        ops.push_back(Advance());
      }
    }
    return ops;
  }
};

// ------------------------------------------------------------------ running

struct Figures {
  Points balance = 0;
  Points available = 0;
  Points pending = 0;
  std::int64_t gift_minor = 0;
  bool operator==(const Figures&) const = default;
  std::string Text() const {
    return "balance " + std::to_string(balance) + ", available " + std::to_string(available) +
           ", pending " + std::to_string(pending) + ", gift card " + std::to_string(gift_minor);
  }
};

struct Played {
  std::optional<Figures> figures;  // nullopt: a check failed
  std::string failure;
};

bool Expected(StatusCode code) {
  return code == StatusCode::kInsufficientPoints || code == StatusCode::kInvalidArgument ||
         code == StatusCode::kRewardRefused || code == StatusCode::kAlreadyReversed ||
         code == StatusCode::kNotFound;
}

// Plays `ops` on a fresh ledger; checks what every run must keep. A final
// expiry run makes points past their date leave by entry before the
// figures are read.
Played Play(const ProgramSpec& spec, const Ops& ops) {
  // Thousands of short-lived ledgers: in memory-backed /dev/shm when the
  // machine has it (real SQLite files all the same).
  std::error_code no_shm;
  const bool shm = std::filesystem::is_directory("/dev/shm", no_shm);
  testing::ScratchDir dir(shm ? std::filesystem::path("/dev/shm")
                              : std::filesystem::temp_directory_path());
  testing::FakeClock clock;
  Options options;
  options.database_path = dir.File("ledger.db");
  options.terminal_id = "till-prop";
  options.terminal_key = testing::kTestKey;
  options.program_path = testing::WriteFile(dir.File("program.json"), spec.Json());
  options.clock = &clock;
  options.synchronous_full = false;  // a test ledger: speed over durability
  auto opened = Terminal::Open(options);
  if (!opened.ok()) return {std::nullopt, "open: " + opened.status().ToString()};
  Terminal& t = **opened;
  const CardId card = Card(kCard);
  const CardId gift = Card(kGiftCard);
  auto fail = [](size_t i, const std::string& what) {
    return Played{std::nullopt, "after op " + std::to_string(i) + ": " + what};
  };
  if (!t.Enroll({"e1", card, "", "Ada"}).ok() || !t.LoadGiftCard({"g1", gift, kGiftLoad}).ok() ||
      !t.Adjust({"a1", card, 200, "prop", "starting points"}).ok()) {
    return {std::nullopt, "setup failed"};
  }
  auto check = [&](size_t i) -> std::optional<std::string> {
    auto view = t.Lookup(card);
    auto fast = t.Balance(card);
    auto history = t.History(card, 1'000'000);
    if (!view.ok() || !fast.ok() || !history.ok()) return "cannot read the account";
    Points sum = 0;
    for (const HistoryEntry& h : *history) sum += h.points;
    if (sum != view->balance) {
      return "entries sum to " + std::to_string(sum) + ", balance is " +
             std::to_string(view->balance);
    }
    if (fast->balance != view->balance || fast->available != view->available ||
        fast->pending != view->pending) {
      return "Balance() says " + std::to_string(fast->balance) + "/" +
             std::to_string(fast->available) + "/" + std::to_string(fast->pending) +
             ", the lots say " + std::to_string(view->balance) + "/" +
             std::to_string(view->available) + "/" + std::to_string(view->pending);
    }
    (void)i;
    return std::nullopt;
  };
  for (size_t i = 0; i < ops.size(); ++i) {
    const Op& op = ops[i];
    Status status = Status::Ok();
    switch (op.kind) {
      case Op::kSale: {
        Checkout checkout{op.id, card, op.basket, op.tender};
        checkout.rewards = op.rewards;
        if (op.gift_minor > 0) checkout.gift_cards = {{gift, op.gift_minor}};
        auto quote = t.QuoteBasket(card, op.basket, op.rewards);
        auto sold = t.Commit(checkout);
        status = sold.status();
        if (sold.ok() && quote.ok() && !quote->refused_rewards.empty()) {
          return fail(i, "the quote refused reward '" + quote->refused_rewards[0].reward_id +
                             "' (" + quote->refused_rewards[0].reason + "), the commit took it");
        }
        if (sold.ok() && op.tender == 0) {
          if (!quote.ok()) return fail(i, "commit passed, its quote failed: " + quote.status().ToString());
          if (quote->points_to_earn != sold->earned || quote->points_to_spend != sold->redeemed ||
              quote->line_points != sold->line_points ||
              quote->discount_minor != sold->discount_minor) {
            return fail(i, "quote (earn " + std::to_string(quote->points_to_earn) + ", spend " +
                               std::to_string(quote->points_to_spend) +
                               ") differs from commit (earn " + std::to_string(sold->earned) +
                               ", spend " + std::to_string(sold->redeemed) + ")");
          }
        }
        break;
      }
      case Op::kReturnLines:
        status = t.Refund({op.id, op.sale, std::nullopt, op.lines}).status();
        break;
      case Op::kReturnAmount:
        status = t.Refund({op.id, op.sale, op.amount}).status();
        break;
      case Op::kReturnRest:
        status = t.Refund({op.id, op.sale, std::nullopt}).status();
        break;
      case Op::kVoid:
        status = t.Void({op.id, op.sale, "prop", "void"}).status();
        break;
      case Op::kRedeem:
        status = t.Redeem({op.id, card, op.points, "prop"}).status();
        break;
      case Op::kExpire:
        status = t.ExpirePoints(op.id).status();
        break;
      case Op::kAdvance:
        clock.AdvanceMs(std::int64_t{op.hours} * 3'600'000);
        break;
      case Op::kExchange: {
        Checkout purchase{"", card, op.basket, 0};
        if (!op.split) {
          status = t.Exchange({op.id, op.sale, op.lines, purchase}).status();
          break;
        }
        status = t.Refund({op.id + "-back", op.sale, std::nullopt, op.lines}).status();
        if (!status.ok()) break;
        purchase.op_id = op.id;
        status = t.Commit(purchase).status();
        break;
      }
    }
    if (!status.ok() && !Expected(status.code())) return fail(i, status.ToString());
    if (auto problem = check(i)) return fail(i, *problem);
  }
  if (!t.ExpirePoints("final-expiry").ok()) return {std::nullopt, "final expiry run failed"};
  if (auto problem = check(ops.size())) return {std::nullopt, "at the end: " + *problem};
  auto verify = t.Verify();
  if (!verify.ok() || !verify->ok) {
    return {std::nullopt, "Verify: " + (verify.ok() ? verify->problem : verify.status().ToString())};
  }
  auto view = t.Lookup(card);
  auto gift_left = t.GiftCardBalance(gift);
  if (!view.ok() || !gift_left.ok()) return {std::nullopt, "cannot read the end figures"};
  return {Figures{view->balance, view->available, view->pending, *gift_left}, ""};
}

// ------------------------------------------------------------- properties

// A property: nullopt when it holds for (program, ops), else why not.
using Property = std::function<std::optional<std::string>(const ProgramSpec&, const Ops&)>;

// Both sequences run clean and end with the same figures.
std::optional<std::string> SameEnd(const ProgramSpec& spec, const Ops& a, const Ops& b,
                                   const std::string& a_name, const std::string& b_name) {
  const Played ra = Play(spec, a);
  if (!ra.figures) return a_name + ": " + ra.failure;
  const Played rb = Play(spec, b);
  if (!rb.figures) return b_name + ": " + rb.failure;
  if (!(*ra.figures == *rb.figures)) {
    return a_name + " ends with " + ra.figures->Text() + "; " + b_name + " with " +
           rb.figures->Text();
  }
  return std::nullopt;
}

// Drops operations, then rewards, tenders and gift card payments, while
// the property still fails.
Ops Shrink(const ProgramSpec& spec, Ops ops, const Property& property) {
  bool smaller = true;
  while (smaller) {
    smaller = false;
    for (size_t i = 0; i < ops.size(); ++i) {
      Ops fewer = ops;
      fewer.erase(fewer.begin() + static_cast<std::ptrdiff_t>(i));
      if (property(spec, fewer)) {
        ops = std::move(fewer);
        smaller = true;
        --i;
      }
    }
    for (size_t i = 0; i < ops.size(); ++i) {
      if (ops[i].kind != Op::kSale) continue;
      for (int what = 0; what < 3; ++what) {
        Ops simpler = ops;
        Op& sale = simpler[i];
        if (what == 0 && !sale.rewards.empty()) {
          sale.rewards.pop_back();
        } else if (what == 1 && sale.tender > 0) {
          sale.tender = 0;
        } else if (what == 2 && sale.gift_minor > 0) {
          sale.gift_minor = 0;
        } else {
          continue;
        }
        if (property(spec, simpler)) {
          ops = std::move(simpler);
          smaller = true;
        }
      }
    }
  }
  return ops;
}

// The seeds to run: LOYALTY_PROPERTY_SEED alone, else 1..LOYALTY_PROPERTY_RUNS
// (default `ci_runs`).
std::vector<std::uint64_t> Seeds(int ci_runs) {
  if (const char* one = std::getenv("LOYALTY_PROPERTY_SEED"); one && *one) {
    return {std::strtoull(one, nullptr, 10)};
  }
  int runs = ci_runs;
  if (const char* n = std::getenv("LOYALTY_PROPERTY_RUNS"); n && *n) runs = std::atoi(n);
  std::vector<std::uint64_t> seeds;
  for (int i = 1; i <= runs; ++i) seeds.push_back(static_cast<std::uint64_t>(i));
  return seeds;
}

// Runs `property` on the sequences `make` draws from each seed; the first
// failure is shrunk and reported with everything needed to replay it.
void Check(const char* name, int ci_runs,
           const std::function<Ops(Generator&)>& make, const Property& property) {
  for (const std::uint64_t seed : Seeds(ci_runs)) {
    std::mt19937_64 rng(seed);
    const ProgramSpec spec = RandomProgram(rng);
    Generator gen{rng};
    const Ops ops = make(gen);
    auto failure = property(spec, ops);
    if (!failure) continue;
    const Ops small = Shrink(spec, ops, property);
    const auto why = property(spec, small);
    ADD_FAILURE() << name << " fails for LOYALTY_PROPERTY_SEED=" << seed << "\nprogram: "
                  << spec.Json() << "\nshrunk from " << ops.size() << " to " << small.size()
                  << " operations:\n"
                  << Describe(small) << "why: " << why.value_or(*failure);
    return;
  }
}

// Each sequence is played on real SQLite files; CI plays a few hundred
// per property (seeds 1..N), a quarter of them under the sanitizers, which
// run everything several times slower; more by hand with
// LOYALTY_PROPERTY_RUNS.
int CiRuns(int base) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  return base / 4;
#else
  return base;
#endif
}

// A single run keeps every invariant: quote == commit, entries sum to the
// balance, cached sums equal the lots, Verify passes.
TEST(ReturnsPropertyTest, EveryRunKeepsTheLedgerConsistent) {
  Check("consistency", CiRuns(150), [](Generator& gen) { return gen.Mixed(40); },
        [](const ProgramSpec& spec, const Ops& ops) -> std::optional<std::string> {
          const Played run = Play(spec, ops);
          if (!run.figures) return run.failure;
          return std::nullopt;
        });
}

// Expiry runs anywhere in the sequence end where expiry runs only at the end.
TEST(ReturnsPropertyTest, ExpiryRunsAndReturnsCommute) {
  Check("expiry commutes", CiRuns(120), [](Generator& gen) { return gen.Mixed(40); },
        [](const ProgramSpec& spec, const Ops& ops) {
          Ops without;
          for (const Op& op : ops) {
            if (op.kind != Op::kExpire) without.push_back(op);
          }
          return SameEnd(spec, ops, without, "with expiry runs", "without expiry runs");
        });
}

// The subject sale, returned in full at the end, leaves the card as if it
// had never been made, less what expired on its own. After it nothing
// spends points, so nothing else depends on what it earned.
TEST(ReturnsPropertyTest, ReturningEverythingUndoesTheSale) {
  Check("full return undoes the sale", CiRuns(120),
        [](Generator& gen) {
          Ops ops = gen.Mixed(12);
          Op subject = gen.Sale(/*may_spend=*/true);
          subject.subject = true;
          ops.push_back(subject);
          Ops after = gen.Mixed(14, /*may_spend=*/false);
          for (int i = 0; i < 4; ++i) {
            after.insert(after.begin() + static_cast<std::ptrdiff_t>(gen.rng() % (after.size() + 1)),
                         gen.Return(subject));
          }
          ops.insert(ops.end(), after.begin(), after.end());
          Op last;
          last.kind = Op::kVoid;
          last.id = gen.Id("v");
          last.sale = subject.id;
          last.subject = true;
          ops.push_back(last);
          return ops;
        },
        [](const ProgramSpec& spec, const Ops& ops) {
          Ops without;
          for (const Op& op : ops) {
            if (!op.subject) without.push_back(op);
          }
          return SameEnd(spec, ops, without, "with the sale returned", "without the sale");
        });
}

// The subject sale's partial returns, made in the opposite order, end the
// same once the last return settles the sale.
TEST(ReturnsPropertyTest, OrderOfPartialReturnsDoesNotMatter) {
  Check("partial returns in any order", CiRuns(120),
        [](Generator& gen) {
          Ops ops = gen.Mixed(12);
          Op subject = gen.Sale(/*may_spend=*/true);
          subject.subject = true;
          ops.push_back(subject);
          for (int i = 0; i < 4; ++i) {
            Op back = gen.Return(subject);
            if (back.kind == Op::kVoid || back.kind == Op::kReturnRest) continue;
            back.subject = true;
            ops.push_back(back);
            if (gen.rng() % 2) ops.push_back(gen.Advance());
            if (gen.rng() % 3 == 0) ops.push_back(gen.Expire());
            if (gen.rng() % 3 == 0) ops.push_back(gen.Sale(false));
          }
          Op last;
          last.kind = Op::kReturnRest;
          last.id = gen.Id("rr");
          last.sale = subject.id;
          ops.push_back(last);
          return ops;
        },
        [](const ProgramSpec& spec, const Ops& ops) {
          // The subject's partial returns swap places: first with last, and so on.
          Ops swapped = ops;
          std::vector<size_t> at;
          for (size_t i = 0; i < ops.size(); ++i) {
            if (ops[i].subject && ops[i].kind != Op::kSale) at.push_back(i);
          }
          for (size_t k = 0; k < at.size(); ++k) swapped[at[k]] = ops[at[at.size() - 1 - k]];
          return SameEnd(spec, ops, swapped, "in order", "in the opposite order");
        });
}

// An exchange ends where its return followed by its sale ends: the same
// points back, the same earned, at every later return of either.
TEST(ReturnsPropertyTest, AnExchangeIsItsReturnAndItsSale) {
  Check("exchange = return + sale", CiRuns(80), [](Generator& gen) { return gen.Mixed(30); },
        [](const ProgramSpec& spec, const Ops& ops) -> std::optional<std::string> {
          Ops split = ops;
          bool any = false;
          for (Op& op : split) {
            if (op.kind != Op::kExchange) continue;
            op.split = true;
            any = true;
          }
          if (!any) return std::nullopt;
          return SameEnd(spec, ops, split, "as exchanges", "as returns then sales");
        });
}

}  // namespace
}  // namespace loyalty
