/* A till in C: the whole checkout path through loyalty.h.
 *
 *   loyalty-till-c <work-dir>
 *
 * Writes a small program into <work-dir>, opens a fresh ledger there and
 * rings up a morning: enrol a card, look it up, quote and commit a basket,
 * retry the commit (a replay), take a reward, refund a line, an anonymous
 * sale, history, verify, and the till report. Exits 0 when every step did
 * what a cashier expects, 1 otherwise (naming the step and the error). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loyalty/loyalty.h"

static int failures = 0;

/* Checks a call's status; on error prints the step, the code's name and
 * the library's message. */
static int check(loyalty_status status, const char* step) {
  if (status != LOYALTY_OK) {
    fprintf(stderr, "FAIL %s: %s: %s\n", step, loyalty_status_name((int)status),
            loyalty_last_error());
    ++failures;
    return 0;
  }
  return 1;
}

static void expect(int64_t got, int64_t want, const char* what) {
  if (got != want) {
    fprintf(stderr, "FAIL %s: got %lld, want %lld\n", what, (long long)got,
            (long long)want);
    ++failures;
  }
}

static int64_t get_int(const loyalty_result* r, int key) {
  int64_t value = 0;
  check(loyalty_result_int(r, key, &value), "loyalty_result_int");
  return value;
}

static const char* get_string(const loyalty_result* r, int key) {
  const char* value = "";
  check(loyalty_result_string(r, key, &value), "loyalty_result_string");
  return value;
}

static const char* kProgram =
    "{\"format\": 1, \"id\": \"corner-shop\", \"version\": 1, \"name\": \"Corner Shop\",\n"
    " \"currency\": \"EUR\", \"earn\": {\"points\": 1, \"per\": \"1.00\"},\n"
    " \"bonuses\": {\"signup\": 50},\n"
    " \"rewards\": [{\"id\": \"five-off\", \"kind\": \"order_amount\", \"cost\": 50,\n"
    "               \"amount\": \"5.00\"}]}\n";

static const char kKey[] = "corner-shop-till-1-secret-key-0123456789";

int main(int argc, char** argv) {
  char program_path[1024];
  char ledger_path[1024];
  char lock_path[1100];
  FILE* f;
  loyalty_options* options = NULL;
  loyalty_terminal* till = NULL;
  loyalty_basket* basket = NULL;
  loyalty_result* r = NULL;
  int64_t balance;
  size_t i;
  size_t count = 0;
  int64_t sum = 0;

  if (argc != 2) {
    fprintf(stderr, "usage: %s <work-dir>\n", argv[0]);
    return 2;
  }
  printf("libloyalty %s (header %s)\n", loyalty_version(), LOYALTY_VERSION_STRING);
  snprintf(program_path, sizeof program_path, "%s/program.json", argv[1]);
  snprintf(ledger_path, sizeof ledger_path, "%s/till-c.db", argv[1]);
  snprintf(lock_path, sizeof lock_path, "%s-wal", ledger_path);
  remove(ledger_path); /* a fresh morning */
  remove(lock_path);
  f = fopen(program_path, "w");
  if (f == NULL || fputs(kProgram, f) < 0 || fclose(f) != 0) {
    fprintf(stderr, "cannot write %s\n", program_path);
    return 1;
  }

  /* Open the till. */
  if (!check(loyalty_options_new(&options), "options_new")) return 1;
  check(loyalty_options_set_database_path(options, ledger_path), "set_database_path");
  check(loyalty_options_set_terminal_id(options, "till-1"), "set_terminal_id");
  check(loyalty_options_set_store_id(options, "corner"), "set_store_id");
  check(loyalty_options_set_terminal_key(options, kKey, sizeof kKey - 1), "set_terminal_key");
  check(loyalty_options_set_program_path(options, program_path), "set_program_path");
  if (!check(loyalty_open(options, &till), "open")) return 1;
  loyalty_options_free(options);

  /* A new customer. */
  if (check(loyalty_enroll(till, "E-1001", "9900 0000 0042", NULL, "Ada Lovelace", "cashier-7",
                           &r),
            "enroll")) {
    printf("enrolled %s, sign-up bonus %lld\n", get_string(r, LOYALTY_RECEIPT_CARD_MASKED),
           (long long)get_int(r, LOYALTY_RECEIPT_EARNED));
  }
  loyalty_result_free(r);

  /* The swipe. */
  if (check(loyalty_lookup(till, "990000000042", &r), "lookup")) {
    printf("card %s: %s, %lld points available\n", get_string(r, LOYALTY_CARD_MASKED),
           get_string(r, LOYALTY_CARD_NAME), (long long)get_int(r, LOYALTY_CARD_AVAILABLE));
    expect(get_int(r, LOYALTY_CARD_AVAILABLE), 50, "available after sign-up");
  }
  loyalty_result_free(r);

  /* Ring up a basket, quote it, commit it. */
  check(loyalty_basket_new("EUR", &basket), "basket_new");
  check(loyalty_basket_add_line(basket, "4006381333931", "stationery", 2, 1250), "add_line");
  check(loyalty_basket_add_line(basket, "5000112637922", "drinks", 1, 3999), "add_line");
  check(loyalty_basket_add_reward(basket, "five-off"), "add_reward");
  if (check(loyalty_quote(till, "990000000042", basket, &r), "quote")) {
    printf("quote: basket %lld, discount %lld, earns %lld points\n",
           (long long)get_int(r, LOYALTY_QUOTE_BASKET_MINOR),
           (long long)get_int(r, LOYALTY_QUOTE_DISCOUNT_MINOR),
           (long long)get_int(r, LOYALTY_QUOTE_POINTS_TO_EARN));
    expect(get_int(r, LOYALTY_QUOTE_POINTS_TO_EARN), 47, "quoted points");
  }
  loyalty_result_free(r);
  if (check(loyalty_commit(till, "R-0001", "990000000042", basket, "cashier-7", &r),
            "commit")) {
    expect(get_int(r, LOYALTY_RECEIPT_EARNED), 47, "earned");
    expect(get_int(r, LOYALTY_RECEIPT_REDEEMED), 50, "redeemed for the reward");
    expect(get_int(r, LOYALTY_RECEIPT_DISCOUNT_MINOR), 500, "discount");
  }
  loyalty_result_free(r);

  /* The network hiccuped: the POS sends the same receipt again. */
  if (check(loyalty_commit(till, "R-0001", "990000000042", basket, "cashier-7", &r),
            "commit retry")) {
    expect(get_int(r, LOYALTY_RECEIPT_REPLAYED), 1, "replayed");
  }
  loyalty_result_free(r);
  loyalty_basket_free(basket);

  /* Spending more than the card holds is refused, with a reason. */
  if (loyalty_redeem(till, "X-1", "990000000042", 1000, "tv", NULL, &r) !=
      LOYALTY_INSUFFICIENT_POINTS) {
    fprintf(stderr, "FAIL redeem too much: not refused\n");
    ++failures;
  } else {
    printf("refused as expected: %s\n", loyalty_last_error());
  }

  /* The drink comes back. */
  {
    const int64_t line_numbers[] = {1};
    const int64_t quantities[] = {1};
    if (check(loyalty_refund_lines(till, "RET-0001", "R-0001", line_numbers, quantities, 1,
                                   "cashier-7", &r),
              "refund_lines")) {
      printf("refund took back %lld points\n", (long long)-get_int(r, LOYALTY_RECEIPT_EARNED));
    }
    loyalty_result_free(r);
  }

  check(loyalty_record_anonymous_sale(till, "R-0002", "EUR", 1575, "cashier-7"),
        "anonymous sale");

  /* History adds up to the balance. */
  if (check(loyalty_history(till, "990000000042", 50, &r), "history")) {
    check(loyalty_result_count(r, LOYALTY_HISTORY_ENTRIES, &count), "count");
    for (i = 0; i < count; ++i) {
      const loyalty_result* entry = NULL;
      if (check(loyalty_result_item_at(r, LOYALTY_HISTORY_ENTRIES, i, &entry), "item_at")) {
        printf("  #%lld %-16s %+lld  %s\n", (long long)get_int(entry, LOYALTY_ENTRY_SEQ),
               get_string(entry, LOYALTY_ENTRY_KIND_NAME),
               (long long)get_int(entry, LOYALTY_ENTRY_POINTS),
               get_string(entry, LOYALTY_ENTRY_NOTE));
        sum += get_int(entry, LOYALTY_ENTRY_POINTS);
      }
    }
  }
  loyalty_result_free(r);
  if (check(loyalty_lookup(till, "990000000042", &r), "lookup")) {
    balance = get_int(r, LOYALTY_CARD_BALANCE);
    expect(sum, balance, "history sums to the balance");
  }
  loyalty_result_free(r);

  if (check(loyalty_verify(till, NULL, NULL, &r), "verify")) {
    expect(get_int(r, LOYALTY_VERIFY_OK), 1, "ledger verifies");
  }
  loyalty_result_free(r);

  /* End of day. */
  if (check(loyalty_till_report(till, 0, INT64_MAX, 1, 1, &r), "till_report")) {
    const loyalty_result* total = NULL;
    check(loyalty_result_item_at(r, LOYALTY_REPORT_TOTAL, 0, &total), "report total");
    if (total != NULL) {
      expect(get_int(total, LOYALTY_FIGURES_MEMBER_SALES), 1, "member sales");
      expect(get_int(total, LOYALTY_FIGURES_ANONYMOUS_SALES), 1, "anonymous sales");
      expect(get_int(total, LOYALTY_FIGURES_CARD_SHARE_BP), 5000, "card share");
    }
    printf("%s", get_string(r, LOYALTY_REPORT_TEXT));
  }
  loyalty_result_free(r);

  loyalty_close(till);
  if (failures != 0) {
    fprintf(stderr, "%d step(s) failed\n", failures);
    return 1;
  }
  printf("till closed, all steps as expected\n");
  return 0;
}
