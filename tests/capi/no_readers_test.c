/* A till whose libloyalty.so cannot load its readers library: every
 * reader call says LOYALTY_UNSUPPORTED with a message naming what was
 * wrong, nothing crashes, and the rest of the C ABI works.
 *   no_readers_test WORK_DIR EXPECTED_TEXT
 * run with LOYALTY_READERS_LIBRARY set to a missing or wrong library. */
#include <stdio.h>
#include <string.h>

#include "loyalty/loyalty.h"

static int failures = 0;

static void expect(int ok, const char* what) {
  if (!ok) {
    fprintf(stderr, "FAILED: %s (last error: %s)\n", what, loyalty_last_error());
    ++failures;
  }
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: no_readers_test WORK_DIR EXPECTED_TEXT\n");
    return 2;
  }
  const char* expected = argv[2];

  loyalty_reader* reader = (loyalty_reader*)1;
  expect(loyalty_reader_open("sim:", &reader) == LOYALTY_UNSUPPORTED, "open is UNSUPPORTED");
  expect(reader == NULL, "open leaves *out NULL");
  expect(strstr(loyalty_last_error(), expected) != NULL, "open's error names the problem");
  expect(strstr(loyalty_last_error(), "connection 'sim:'") != NULL,
         "open's error names the connection");
  printf("loyalty_reader_open: %s\n", loyalty_last_error());

  loyalty_reader_options* options = (loyalty_reader_options*)1;
  expect(loyalty_reader_options_new(&options) == LOYALTY_UNSUPPORTED, "options_new is UNSUPPORTED");
  expect(options == NULL, "options_new leaves *out NULL");
  expect(strstr(loyalty_last_error(), expected) != NULL, "options_new's error names the problem");
  expect(loyalty_reader_open_with("pn532_uart:/dev/ttyUSB0", NULL, &reader) == LOYALTY_UNSUPPORTED,
         "open_with is UNSUPPORTED");
  expect(loyalty_reader_wait(NULL, 0, NULL) == LOYALTY_INVALID_ARGUMENT, "wait(NULL) is refused");
  loyalty_reader_close(NULL);
  loyalty_reader_options_free(NULL);

  /* The core works without readers: a ledger opens and answers. */
  char path[4096], program[4096];
  snprintf(path, sizeof path, "%s/no-readers.db", argv[1]);
  snprintf(program, sizeof program, "%s/program.json", argv[1]);
  remove(path);
  FILE* f = fopen(program, "w");
  if (f == NULL) return 2;
  fputs("{\"format\": 1, \"id\": \"no-readers\", \"version\": 1, \"currency\": \"EUR\","
        " \"earn\": {\"points\": 1, \"per\": \"1.00\"}}",
        f);
  fclose(f);
  const char key[] = "a terminal key of thirty-two bytes or more";
  loyalty_options* opts = NULL;
  loyalty_terminal* terminal = NULL;
  expect(loyalty_options_new(&opts) == LOYALTY_OK, "options");
  expect(loyalty_options_set_database_path(opts, path) == LOYALTY_OK, "ledger path");
  expect(loyalty_options_set_terminal_id(opts, "till-no-readers") == LOYALTY_OK, "terminal id");
  expect(loyalty_options_set_terminal_key(opts, key, strlen(key)) == LOYALTY_OK, "key");
  expect(loyalty_options_set_program_path(opts, program) == LOYALTY_OK, "program");
  expect(loyalty_open(opts, &terminal) == LOYALTY_OK, "a ledger opens without readers");
  loyalty_close(terminal);
  loyalty_options_free(opts);

  if (failures == 0) printf("no_readers_test: OK\n");
  return failures == 0 ? 0 : 1;
}
