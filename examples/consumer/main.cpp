// The smallest till: open a Terminal, enrol a card, commit a sale, print
// the balance. Usage: consumer PROGRAM.json LEDGER.db
#include <iostream>
#include <loyalty/loyalty.hpp>

int Fail(const loyalty::Status& status) {
  std::cerr << "error: " << status.ToString() << '\n';
  return 1;
}

int main(int argc, char** argv) {
  if (argc != 3) {
    return Fail({loyalty::StatusCode::kInvalidArgument, "usage: consumer PROGRAM.json LEDGER.db"});
  }
  loyalty::Options options;
  options.program_path = argv[1];
  options.database_path = argv[2];
  options.terminal_id = "till-1";
  options.terminal_key = "example-only: read >= 32 secret bytes from a protected file";
  auto terminal = loyalty::Terminal::Open(options);
  if (!terminal.ok()) return Fail(terminal.status());

  auto card = loyalty::CardId::Parse("9900 1234 5678 9017");
  if (!card.ok()) return Fail(card.status());
  loyalty::Enrollment enrollment;  // fields by name: a vendor's -Wextra stays quiet
  enrollment.op_id = "E-1";
  enrollment.card = *card;
  enrollment.name = "Anna";
  auto enrolled = (*terminal)->Enroll(enrollment);
  if (!enrolled.ok()) return Fail(enrolled.status());

  auto price = loyalty::Money::Parse("12.40", *loyalty::Currency::FromCode("EUR"));  // no float
  if (!price.ok()) return Fail(price.status());
  loyalty::Checkout sale;
  sale.op_id = "R-1001";  // the POS's receipt id: a retry with it earns nothing twice
  sale.card = *card;
  sale.basket.currency = "EUR";
  sale.basket.lines.push_back({"4011", "fruit", 1, price->minor()});
  sale.basket.lines.push_back({"2203", "dairy", 1, 399});
  auto receipt = (*terminal)->Commit(sale);
  if (!receipt.ok()) return Fail(receipt.status());
  std::cout << "balance: " << receipt->after.balance << " points\n";
  return 0;
}
