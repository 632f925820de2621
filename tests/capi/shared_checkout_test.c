/* Issue 6: a program in C, built against loyalty.h alone and linked against
 * libloyalty.so, runs the checkout from a card on the real simulated reader
 * (drivers/sim inside the library) to the balance a cashier reads out. Plain
 * C on purpose: the gtest twin (shared_reader_test.cpp) could lean on C++
 * and would not catch a header that only works from C++.
 * Usage: loyalty_shared_checkout_test <empty scratch folder>. Exit 0 = pass. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loyalty/loyalty.h"

static int failures = 0;

#define CHECK(cond)                                                               \
  do {                                                                            \
    if (!(cond)) {                                                                \
      fprintf(stderr, "%s:%d: %s failed (last error: %s)\n", __FILE__, __LINE__, \
              #cond, loyalty_last_error());                                       \
      ++failures;                                                                 \
    }                                                                             \
  } while (0)

/* Evaluates `cond` once: most conditions call the library. */
#define REQUIRE(cond)                                                             \
  do {                                                                            \
    if (!(cond)) {                                                                \
      fprintf(stderr, "%s:%d: %s failed (last error: %s)\n", __FILE__, __LINE__, \
              #cond, loyalty_last_error());                                       \
      return 1;                                                                   \
    }                                                                             \
  } while (0)

static int64_t Int(const loyalty_result* r, int key) {
  int64_t v = -999999;
  CHECK(loyalty_result_int(r, key, &v) == LOYALTY_OK);
  return v;
}

static const char* Str(const loyalty_result* r, int key) {
  const char* s = "";
  CHECK(loyalty_result_string(r, key, &s) == LOYALTY_OK);
  return s;
}

int main(int argc, char** argv) {
  char program[4096], db[4096], card[64];
  loyalty_options* options = NULL;
  loyalty_terminal* till = NULL;
  loyalty_reader* reader = NULL;
  loyalty_basket* basket = NULL;
  loyalty_result *read = NULL, *unknown = NULL, *enrolled = NULL, *view = NULL, *quote = NULL,
                 *receipt = NULL, *torn = NULL, *again = NULL, *after = NULL;
  const char key[] = "a terminal key of thirty-two bytes or more";
  FILE* f;

  if (argc != 2) {
    fprintf(stderr, "usage: %s SCRATCH_DIR\n", argv[0]);
    return 2;
  }
  snprintf(program, sizeof program, "%s/program.json", argv[1]);
  snprintf(db, sizeof db, "%s/ledger.db", argv[1]);
  remove(db);
  f = fopen(program, "w");
  REQUIRE(f != NULL);
  fputs("{\"format\": 1, \"id\": \"c-till\", \"version\": 1, \"currency\": \"EUR\","
        " \"earn\": {\"points\": 1, \"per\": \"1.00\"}}",
        f);
  fclose(f);

  REQUIRE(loyalty_options_new(&options) == LOYALTY_OK);
  CHECK(loyalty_options_set_database_path(options, db) == LOYALTY_OK);
  CHECK(loyalty_options_set_terminal_id(options, "till-c") == LOYALTY_OK);
  CHECK(loyalty_options_set_terminal_key(options, key, strlen(key)) == LOYALTY_OK);
  CHECK(loyalty_options_set_program_path(options, program) == LOYALTY_OK);
  REQUIRE(loyalty_open(options, &till) == LOYALTY_OK);
  loyalty_options_free(options);

  REQUIRE(loyalty_reader_open(
              "sim:cards=LC-0042,bad track 2: LRC mismatch; swipe again,LC-0042", &reader) ==
          LOYALTY_OK);

  /* The first swipe: a card the till has not seen, so the cashier enrols it. */
  REQUIRE(loyalty_reader_wait(reader, 1000, &read) == LOYALTY_OK);
  CHECK(Int(read, LOYALTY_READ_SOURCE) == LOYALTY_SOURCE_SIMULATED);
  snprintf(card, sizeof card, "%s", Str(read, LOYALTY_READ_CARD));
  CHECK(loyalty_identify(till, read, &unknown) == LOYALTY_UNKNOWN_CARD);
  REQUIRE(loyalty_enroll(till, "enrol-1", card, NULL, "Ada", "maria", &enrolled) == LOYALTY_OK);
  REQUIRE(loyalty_identify(till, read, &view) == LOYALTY_OK);
  CHECK(strcmp(Str(view, LOYALTY_CARD_NAME), "Ada") == 0);
  CHECK(Int(view, LOYALTY_CARD_BALANCE) == 0);

  /* 12.40 + two at 3.98 (7.96) = 20.36 EUR at a point per euro: 20 points. */
  REQUIRE(loyalty_basket_new("EUR", &basket) == LOYALTY_OK);
  CHECK(loyalty_basket_add_line(basket, "4011", "fruit", 1, 1240) == LOYALTY_OK);
  CHECK(loyalty_basket_add_line(basket, "7310", "dairy", 2, 796) == LOYALTY_OK);
  REQUIRE(loyalty_quote(till, card, basket, &quote) == LOYALTY_OK);
  CHECK(Int(quote, LOYALTY_QUOTE_POINTS_TO_EARN) == 20);
  REQUIRE(loyalty_commit(till, "R-1", card, basket, "maria", &receipt) == LOYALTY_OK);
  CHECK(Int(receipt, LOYALTY_RECEIPT_EARNED) == 20);

  /* A torn swipe tells the cashier why; the next swipe shows the points. */
  CHECK(loyalty_reader_wait(reader, 1000, &torn) == LOYALTY_BAD_READ);
  CHECK(strcmp(loyalty_last_error(), "track 2: LRC mismatch; swipe again") == 0);
  REQUIRE(loyalty_reader_wait(reader, 1000, &again) == LOYALTY_OK);
  REQUIRE(loyalty_identify(till, again, &after) == LOYALTY_OK);
  CHECK(Int(after, LOYALTY_CARD_BALANCE) == 20);

  loyalty_result_free(read);
  loyalty_result_free(unknown);
  loyalty_result_free(enrolled);
  loyalty_result_free(view);
  loyalty_result_free(quote);
  loyalty_result_free(receipt);
  loyalty_result_free(torn);
  loyalty_result_free(again);
  loyalty_result_free(after);
  loyalty_basket_free(basket);
  loyalty_reader_close(reader);
  loyalty_close(till);
  if (failures == 0) printf("ok: a swipe on sim: through enrol, quote, commit, balance 20\n");
  return failures == 0 ? 0 : 1;
}
