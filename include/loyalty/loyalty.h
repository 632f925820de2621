/* libloyalty: the C ABI.
 *
 * Plain C (C99, and valid C++), for POS software written in C, C#, Java,
 * Delphi, Python or anything else with a foreign-function interface. It is a
 * thin layer over the C++ loyalty::Terminal (include/loyalty/terminal.hpp)
 * and follows libcurl's habits so that it lasts:
 *
 *  - Opaque handles (loyalty_options, loyalty_terminal, loyalty_basket,
 *    loyalty_result, loyalty_reader); no struct layout crosses the ABI.
 *  - Setters instead of structs for inputs; keyed getters for results
 *    (loyalty_result_int / _string / _count / _int_at / _string_at /
 *    _item_at with a LOYALTY_<KIND>_<FIELD> key).
 *  - Every function that can fail returns a loyalty_status. Its numbers
 *    mirror loyalty::StatusCode exactly; they are appended only, never
 *    renumbered or reused. The same holds for every enum and key below.
 *  - Results are written through out-parameters, only on LOYALTY_OK; on an
 *    error the out-parameter is set to NULL / 0.
 *  - Error text: loyalty_last_error() returns the message of the last call
 *    made ON THIS THREAD (thread-local), naming the field and the value,
 *    e.g. "points: 50 asked, 40 available". A handle may therefore be
 *    shared between threads without the messages getting mixed up.
 *  - Whatever the library allocates, the caller frees with the matching
 *    loyalty_*_free / loyalty_close, in any order: a loyalty_sync keeps
 *    its terminal open until both are freed, a result does not depend on
 *    the terminal that made it, and options may be freed once used.
 *    Strings the library returns are owned by the handle they came from
 *    and live as long as it; items of a result (loyalty_result_item_at)
 *    live until that result is freed.
 *  - Strings are UTF-8, NUL-terminated. NULL is accepted wherever a string
 *    is optional and means "" (the docs say which are required).
 *  - Amounts are integers: money in minor units of the program's currency
 *    (cents for EUR), points as int64. No floating point anywhere.
 *  - Times are int64 milliseconds since 1970-01-01 UTC.
 *  - No exception, C++ type or allocator crosses this header: every entry
 *    point catches everything and turns it into LOYALTY_INTERNAL.
 *
 * Thread safety (per function below, summarised here):
 *  - loyalty_terminal: every function taking one may be called from several
 *    threads at once on the same handle (a till thread committing while a
 *    sync or back-office thread looks up, verifies or reports); calls are
 *    serialised inside. loyalty_close must not race with other calls on the
 *    handle.
 *  - loyalty_options, loyalty_basket: not thread-safe; build one per thread
 *    (or guard it). Reading them (open, quote, commit) from several threads
 *    at once is fine while nobody modifies them.
 *  - loyalty_result: immutable; any number of threads may read one.
 *  - loyalty_reader: one thread waits; loyalty_reader_cancel may be called
 *    from any other thread.
 *  - loyalty_version, loyalty_status_name, loyalty_last_error: any thread.
 */
#ifndef LOYALTY_LOYALTY_H_
#define LOYALTY_LOYALTY_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Symbols of the C ABI; everything else in the shared library is hidden. */
#if defined(_WIN32)
#if defined(LOYALTY_BUILDING_SHARED)
#define LOYALTY_EXPORT __declspec(dllexport)
#else
#define LOYALTY_EXPORT
#endif
#elif defined(__GNUC__)
#define LOYALTY_EXPORT __attribute__((visibility("default")))
#else
#define LOYALTY_EXPORT
#endif

/* ------------------------------------------------------------------ */
/* Version                                                             */
/* ------------------------------------------------------------------ */

/* The version of this header. A test checks they equal the C++ ones. */
#define LOYALTY_VERSION_MAJOR 0
#define LOYALTY_VERSION_MINOR 1
#define LOYALTY_VERSION_PATCH 0
#define LOYALTY_VERSION_STRING "0.1.0"
/* MAJOR * 10000 + MINOR * 100 + PATCH, for #if comparisons. */
#define LOYALTY_VERSION_NUMBER \
  (LOYALTY_VERSION_MAJOR * 10000 + LOYALTY_VERSION_MINOR * 100 + LOYALTY_VERSION_PATCH)

/* The version of the library actually linked, e.g. "0.1.0" (static
 * storage). Never fails. Any thread. */
LOYALTY_EXPORT const char* loyalty_version(void);
/* The same as LOYALTY_VERSION_NUMBER computes, for the linked library. */
LOYALTY_EXPORT int loyalty_version_number(void);

/* ------------------------------------------------------------------ */
/* Status codes and error text                                         */
/* ------------------------------------------------------------------ */

/* Mirrors loyalty::StatusCode number for number (a test checks it). */
typedef enum loyalty_status {
  LOYALTY_OK = 0,
  LOYALTY_INVALID_ARGUMENT = 1,      /* a field of a request is malformed */
  LOYALTY_UNKNOWN_CARD = 2,          /* no account holds this card */
  LOYALTY_CARD_BLOCKED = 3,          /* the card is blocked */
  LOYALTY_INSUFFICIENT_POINTS = 4,   /* redemption exceeds the available balance */
  LOYALTY_AMOUNT_NEGATIVE = 5,       /* a price, quantity or amount below zero */
  LOYALTY_AMOUNT_OVERFLOW = 6,       /* arithmetic would leave the int64 range */
  LOYALTY_CURRENCY_MISMATCH = 7,     /* basket currency is not the program's */
  LOYALTY_DUPLICATE_ID_CONFLICT = 8, /* op_id used before with other content */
  LOYALTY_DATABASE_LOCKED = 9,       /* another process holds the ledger */
  LOYALTY_DATABASE_CORRUPT = 10,     /* SQLite corruption or a foreign schema */
  LOYALTY_TAMPERED = 11,             /* the hash chain or a program file does not verify */
  LOYALTY_NOT_FOUND = 12,            /* a named operation or account is absent */
  LOYALTY_ALREADY_REVERSED = 13,     /* voided or fully refunded before */
  LOYALTY_CARD_ALREADY_ENROLLED = 14,/* the card belongs to an account already */
  LOYALTY_PAYMENT_CARD_REFUSED = 15, /* the number looks like a payment card */
  LOYALTY_PROGRAM_INVALID = 16,      /* the program document failed validation */
  LOYALTY_IO_ERROR = 17,             /* reading a file or the disk failed */
  LOYALTY_INTERNAL = 18,             /* a bug (or out of memory): report it */
  LOYALTY_BAD_READ = 19,             /* a card read failed; ask to try again */
  LOYALTY_TIMEOUT = 20,              /* nothing happened in the time asked */
  LOYALTY_CANCELLED = 21,            /* loyalty_reader_cancel was called */
  LOYALTY_DEVICE_GONE = 22,          /* the reader was unplugged */
  LOYALTY_UNSUPPORTED = 23,          /* not built into this library */
  LOYALTY_INSUFFICIENT_FUNDS = 24,   /* a gift card or wallet holds less */
  LOYALTY_OFFLINE_LIMIT = 25,        /* not synced for too long: over the offline cap */
  LOYALTY_NETWORK_ERROR = 26,        /* sync: no readable answer from the server */
  LOYALTY_TLS_REFUSED = 27,          /* sync: a TLS check failed */
  LOYALTY_SERVER_REFUSED = 28,       /* sync: the server refused the request */
  LOYALTY_REWARD_REFUSED = 29,       /* the card cannot take a reward asked for (tier, limit,
                                        stock, validity, unknown id): a quote lists why */
  LOYALTY_UNKNOWN_TERMINAL = 30,     /* sync: the server has no such terminal: register it
                                        (loyalty-server add-terminal) or fix terminal_id */
  LOYALTY_KEY_MISMATCH = 31,         /* sync: the terminal key, or the receipt key, is not
                                        the server's (the message names which option) */
  LOYALTY_SYNC_FORK = 32             /* sync: the server's copy and this ledger differ
                                        ("fork at seq N"): pushing stopped */
} loyalty_status;

/* Stable name of a code, e.g. "insufficient_points"; "unknown_status" for
 * a number this library does not know. Static storage. Any thread. */
LOYALTY_EXPORT const char* loyalty_status_name(int status);

/* The message of the last loyalty_* call made on the calling thread that
 * returned an error ("" after a call that succeeded). Names the field and
 * the value. Valid until the next loyalty_* call on this thread; copy it
 * to keep it. Thread-local: never NULL, never another thread's message. */
LOYALTY_EXPORT const char* loyalty_last_error(void);

/* ------------------------------------------------------------------ */
/* Results: immutable, keyed getters                                   */
/* ------------------------------------------------------------------ */

/* Everything the library returns (card views, quotes, receipts, history,
 * reports...) is a loyalty_result. Its kind says which LOYALTY_<KIND>_*
 * keys it has; a key's number is kind * 100 + n. Asking a result for a key
 * of another kind, or an integer key as a string, is
 * LOYALTY_INVALID_ARGUMENT. Free the results you receive with
 * loyalty_result_free; items reached through loyalty_result_item_at are
 * borrowed: they, and every string read from them, stay valid until the
 * result they came from is freed, and no longer. A result stays valid
 * after the terminal that made it is closed. */
typedef struct loyalty_result loyalty_result;

typedef enum loyalty_result_kind {
  LOYALTY_KIND_CARD = 1,        /* what a swipe shows */
  LOYALTY_KIND_REWARD = 2,      /* one reward of the catalog, for this card */
  LOYALTY_KIND_QUOTE = 3,       /* what a basket would earn */
  LOYALTY_KIND_RECEIPT = 4,     /* what an operation did */
  LOYALTY_KIND_HISTORY = 5,     /* an account's entries */
  LOYALTY_KIND_ENTRY = 6,       /* one ledger entry */
  LOYALTY_KIND_VERIFY = 7,      /* the integrity check */
  LOYALTY_KIND_PROGRAM = 8,     /* the program in force */
  LOYALTY_KIND_EXPIRY = 9,      /* what an expiry run did */
  LOYALTY_KIND_EXPLANATION = 11,/* one figure and its sentence */
  LOYALTY_KIND_REPORT = 12,     /* the till report */
  LOYALTY_KIND_FIGURES = 13,    /* the till report's figures, total or per cashier */
  LOYALTY_KIND_CARD_READ = 14,  /* one good read from a card reader */
  LOYALTY_KIND_STAMPS = 15,     /* one stamp card: where the customer stands */
  LOYALTY_KIND_BALANCE = 16,    /* just the points of a card */
  LOYALTY_KIND_SYNC_STATUS = 17,/* where sync stands (loyalty_sync_status) */
  LOYALTY_KIND_SYNC_EXCEPTIONS = 18, /* entries the server did not simply apply */
  LOYALTY_KIND_SYNC_EXCEPTION = 19,  /* one of them */
  LOYALTY_KIND_REFUSED_REWARD = 20, /* a reward a quote left out, and why */
  LOYALTY_KIND_EXCHANGE = 21    /* what an exchange did: a receipt per half */
} loyalty_result_kind;

/* Integer keys are marked (i), strings (s), integer lists (i[]), string
 * lists (s[]), lists of results (r[] of a kind). Booleans are 0/1. */
typedef enum loyalty_key {
  /* LOYALTY_KIND_CARD */
  LOYALTY_CARD_ACCOUNT_ID = 100,   /* s */
  LOYALTY_CARD_NAME = 101,         /* s as given at enrolment */
  LOYALTY_CARD_MASKED = 102,       /* s "************0002" */
  LOYALTY_CARD_AVAILABLE = 103,    /* i spendable now */
  LOYALTY_CARD_PENDING = 104,      /* i inside the return window */
  LOYALTY_CARD_BALANCE = 105,      /* i ledger balance, may be negative (debt) */
  LOYALTY_CARD_TIER = 106,         /* s "" without tiers */
  LOYALTY_CARD_SEGMENT = 107,      /* s new, regular, loyal or lapsing */
  LOYALTY_CARD_IS_BLOCKED = 108,     /* i 0/1 */
  LOYALTY_CARD_REWARDS = 109,      /* r[] LOYALTY_KIND_REWARD */
  LOYALTY_CARD_STAMPS = 110,       /* r[] LOYALTY_KIND_STAMPS, per stamp card */
  LOYALTY_CARD_HELD = 111,         /* i reserved by open reservations */
  LOYALTY_CARD_WALLET_MINOR = 112, /* i e-wallet balance */

  /* LOYALTY_KIND_REWARD */
  LOYALTY_REWARD_ID = 200,             /* s */
  LOYALTY_REWARD_NAME = 201,           /* s */
  LOYALTY_REWARD_COST = 202,           /* i points */
  LOYALTY_REWARD_DISCOUNT_MINOR = 203, /* i off this basket (quotes only) */
  LOYALTY_REWARD_AVAILABLE = 204,      /* i 0/1: the card can take it now */
  LOYALTY_REWARD_WHY_NOT = 205,        /* s "needs tier gold" */
  LOYALTY_REWARD_EXPLANATION = 206,    /* s */

  /* LOYALTY_KIND_QUOTE */
  LOYALTY_QUOTE_CURRENCY = 300,        /* s */
  LOYALTY_QUOTE_BASKET_MINOR = 301,    /* i non-voided lines before rewards */
  LOYALTY_QUOTE_DISCOUNT_MINOR = 302,  /* i taken off by the chosen rewards */
  LOYALTY_QUOTE_ELIGIBLE_MINOR = 303,  /* i what earn rules counted */
  LOYALTY_QUOTE_POINTS_TO_EARN = 304,  /* i */
  LOYALTY_QUOTE_POINTS_TO_SPEND = 305, /* i cost of the chosen rewards */
  LOYALTY_QUOTE_LINE_POINTS = 306,     /* i[] per basket line, [0] = the first added */
  LOYALTY_QUOTE_LINE_DISCOUNTS = 307,  /* i[] per basket line, [0] = the first added */
  LOYALTY_QUOTE_EXPLANATIONS = 308,    /* r[] LOYALTY_KIND_EXPLANATION */
  LOYALTY_QUOTE_REWARDS = 309,         /* r[] LOYALTY_KIND_REWARD */
  LOYALTY_QUOTE_TIER = 310,            /* s */
  LOYALTY_QUOTE_NEXT_TIER = 311,       /* s "" at the top */
  LOYALTY_QUOTE_TIER_MEASURE = 312,    /* i */
  LOYALTY_QUOTE_TIER_TO_NEXT = 313,    /* i */
  LOYALTY_QUOTE_SEGMENT = 314,         /* s */
  LOYALTY_QUOTE_STAMPS = 315,          /* r[] LOYALTY_KIND_STAMPS */
  LOYALTY_QUOTE_LINE_STAMPS = 316,     /* i[] per basket line, [0] = the first added */
  LOYALTY_QUOTE_COUPONS_TO_ISSUE = 317,/* s[] coupon ids rules will issue codes for */
  LOYALTY_QUOTE_REFUSED_REWARDS = 318, /* r[] LOYALTY_KIND_REFUSED_REWARD: asked for, left out */

  /* LOYALTY_KIND_RECEIPT */
  LOYALTY_RECEIPT_OP_ID = 400,          /* s */
  LOYALTY_RECEIPT_ACCOUNT_ID = 401,     /* s */
  LOYALTY_RECEIPT_CARD_MASKED = 402,    /* s */
  LOYALTY_RECEIPT_EARNED = 403,         /* i negative for reversals */
  LOYALTY_RECEIPT_REDEEMED = 404,       /* i negative when given back */
  LOYALTY_RECEIPT_DISCOUNT_MINOR = 405, /* i taken off by rewards and points */
  LOYALTY_RECEIPT_REPLAYED = 406,       /* i 0/1: the stored first result */
  LOYALTY_RECEIPT_LINE_POINTS = 407,    /* i[] for a sale: per basket line, [0] = the first */
  LOYALTY_RECEIPT_VOUCHERS = 408,       /* s[] codes issued */
  LOYALTY_RECEIPT_EXPLANATIONS = 409,   /* r[] LOYALTY_KIND_EXPLANATION */
  LOYALTY_RECEIPT_ENTRY_SEQS = 410,     /* i[] ledger entries written */
  LOYALTY_RECEIPT_CARD = 411,           /* r[] one LOYALTY_KIND_CARD: the account right after */
  LOYALTY_RECEIPT_HELD = 412,           /* i a reservation's points held */
  LOYALTY_RECEIPT_STORED_VALUE_MINOR = 413, /* i gift card / wallet money moved (negative: paid) */
  LOYALTY_RECEIPT_COUPONS_ISSUED = 414, /* s[] coupon codes for a next visit */
  LOYALTY_RECEIPT_STAMPS = 415,         /* r[] LOYALTY_KIND_STAMPS moved */

  /* LOYALTY_KIND_HISTORY */
  LOYALTY_HISTORY_ENTRIES = 500,        /* r[] LOYALTY_KIND_ENTRY, newest first */

  /* LOYALTY_KIND_ENTRY */
  LOYALTY_ENTRY_SEQ = 600,              /* i */
  LOYALTY_ENTRY_AT_MS = 601,            /* i */
  LOYALTY_ENTRY_OP_ID = 602,            /* s */
  LOYALTY_ENTRY_KIND = 603,             /* i a loyalty_entry_kind */
  LOYALTY_ENTRY_KIND_NAME = 604,        /* s "earn", "redeem", ... */
  LOYALTY_ENTRY_POINTS = 605,           /* i signed movement */
  LOYALTY_ENTRY_AMOUNT_MINOR = 606,     /* i sale or refund amount, 0 when none */
  LOYALTY_ENTRY_CURRENCY = 607,         /* s */
  LOYALTY_ENTRY_REVERSES_SEQ = 608,     /* i the entry undone, 0 when none */
  LOYALTY_ENTRY_NOTE = 609,             /* s */

  /* LOYALTY_KIND_VERIFY */
  LOYALTY_VERIFY_OK = 700,              /* i 0/1 */
  LOYALTY_VERIFY_ENTRIES_CHECKED = 701, /* i */
  LOYALTY_VERIFY_ACCOUNTS_CHECKED = 702,/* i */
  LOYALTY_VERIFY_FIRST_BAD_SEQ = 703,   /* i 0 when not an entry */
  LOYALTY_VERIFY_PROBLEM = 704,         /* s */

  /* LOYALTY_KIND_PROGRAM */
  LOYALTY_PROGRAM_ID = 800,             /* s */
  LOYALTY_PROGRAM_VERSION = 801,        /* i */
  LOYALTY_PROGRAM_NAME = 802,           /* s */
  LOYALTY_PROGRAM_CURRENCY = 803,       /* s */
  LOYALTY_PROGRAM_TIME_ZONE = 804,      /* s IANA zone of the store */

  /* LOYALTY_KIND_EXPIRY */
  LOYALTY_EXPIRY_RECEIPTS = 900,        /* r[] LOYALTY_KIND_RECEIPT, one per account */

  /* LOYALTY_KIND_EXPLANATION */
  LOYALTY_EXPLANATION_RULE = 1100,      /* s id of the rule, "cap", "tier"... */
  LOYALTY_EXPLANATION_POINTS = 1101,    /* i */
  LOYALTY_EXPLANATION_TEXT = 1102,      /* s what a cashier reads aloud */

  /* LOYALTY_KIND_REPORT (see loyalty_till_report) */
  LOYALTY_REPORT_TERMINAL_ID = 1200,    /* s */
  LOYALTY_REPORT_STORE_ID = 1201,       /* s */
  LOYALTY_REPORT_FROM_MS = 1202,        /* i window start, included */
  LOYALTY_REPORT_TO_MS = 1203,          /* i window end, excluded */
  LOYALTY_REPORT_CURRENCY = 1204,       /* s */
  LOYALTY_REPORT_OUTSTANDING_POINTS = 1205, /* i liability at the window's end */
  LOYALTY_REPORT_OUTSTANDING_MINOR = 1206,  /* i the same in money */
  LOYALTY_REPORT_POINT_VALUE_MINOR = 1207,  /* i as asked */
  LOYALTY_REPORT_POINT_VALUE_POINTS = 1208, /* i as asked */
  LOYALTY_REPORT_SYNC_BUILT = 1209,     /* i 0/1 */
  LOYALTY_REPORT_UNSYNCED_ENTRIES = 1210,/* i 0 while sync is not built */
  LOYALTY_REPORT_TOTAL = 1211,          /* r[] one LOYALTY_KIND_FIGURES: the till */
  LOYALTY_REPORT_CASHIERS = 1212,       /* r[] LOYALTY_KIND_FIGURES per cashier */
  LOYALTY_REPORT_TEXT = 1213,           /* s the report for a screen or printer */
  LOYALTY_REPORT_JSON = 1214,           /* s the report as JSON */

  /* LOYALTY_KIND_FIGURES */
  LOYALTY_FIGURES_CASHIER_ID = 1300,    /* s "" for the total and for unattributed */
  LOYALTY_FIGURES_POINTS_ISSUED = 1301, /* i earn entries */
  LOYALTY_FIGURES_POINTS_REDEEMED = 1302,/* i redeem entries, positive */
  LOYALTY_FIGURES_POINTS_EXPIRED = 1303,/* i expire entries, positive */
  LOYALTY_FIGURES_POINTS_REVERSED_EARNED = 1304,  /* i taken back by refunds/voids */
  LOYALTY_FIGURES_POINTS_REVERSED_REDEEMED = 1305,/* i given back by refunds/voids */
  LOYALTY_FIGURES_POINTS_ADJUSTED = 1306,/* i net manual adjustments, signed */
  LOYALTY_FIGURES_REWARDS_GIVEN = 1307, /* i catalog rewards taken, not reversed */
  LOYALTY_FIGURES_MEMBER_SALES = 1308,  /* i sales with a card */
  LOYALTY_FIGURES_MEMBER_SALES_MINOR = 1309,  /* i what they paid */
  LOYALTY_FIGURES_ANONYMOUS_SALES = 1310,     /* i sales without a card */
  LOYALTY_FIGURES_ANONYMOUS_SALES_MINOR = 1311,
  LOYALTY_FIGURES_CARD_SHARE_BP = 1312, /* i member / all sales, basis points */
  LOYALTY_FIGURES_AVERAGE_MEMBER_BASKET_MINOR = 1313,
  LOYALTY_FIGURES_AVERAGE_ANONYMOUS_BASKET_MINOR = 1314,
  LOYALTY_FIGURES_NEW_MEMBERS = 1315,   /* i accounts enrolled */
  LOYALTY_FIGURES_REDEMPTIONS = 1316,   /* i operations that spent points */
  LOYALTY_FIGURES_ACTIVE_MEMBERS = 1317,/* i accounts that bought or spent */
  LOYALTY_FIGURES_ACTIVATION_RATE_BP = 1318, /* i redemptions / active, basis points */
  LOYALTY_FIGURES_COUPONS_USED = 1319,  /* i coupon codes taken, not given back */
  LOYALTY_FIGURES_GIFT_CARD_LOADED_MINOR = 1320, /* i loads and refunds onto gift cards */
  LOYALTY_FIGURES_GIFT_CARD_SPENT_MINOR = 1321,  /* i paid with gift cards */
  LOYALTY_FIGURES_WALLET_LOADED_MINOR = 1322,    /* i top-ups and refunds onto wallets */
  LOYALTY_FIGURES_WALLET_SPENT_MINOR = 1323,     /* i paid from wallets */
  LOYALTY_FIGURES_LOAD_VOIDS = 1324,             /* i loads taken back (loyalty_void_load) */
  LOYALTY_FIGURES_GIFT_CARD_VOIDED_MINOR = 1325, /* i taken back from gift-card loads */
  LOYALTY_FIGURES_WALLET_VOIDED_MINOR = 1326,    /* i taken back from wallet top-ups */

  /* LOYALTY_KIND_CARD_READ */
  LOYALTY_READ_CARD = 1400,             /* s canonical card id: pass it to loyalty_lookup */
  LOYALTY_READ_MASKED = 1401,           /* s for screens and logs */
  LOYALTY_READ_SOURCE = 1402,           /* i a loyalty_card_source */
  LOYALTY_READ_SOURCE_NAME = 1403,      /* s */
  LOYALTY_READ_AT_MS = 1404,            /* i */

  /* LOYALTY_KIND_STAMPS */
  LOYALTY_STAMPS_CARD = 1500,           /* s the stamp card's id */
  LOYALTY_STAMPS_COLLECTED = 1501,      /* i stamps this basket adds (quotes) */
  LOYALTY_STAMPS_SPENT = 1502,          /* i stamps this basket's rewards use (quotes) */
  LOYALTY_STAMPS_BALANCE = 1503,        /* i stamps on the card (afterwards, in quotes) */
  LOYALTY_STAMPS_NEEDED = 1504,         /* i stamps that make the reward */
  LOYALTY_STAMPS_REWARD = 1505,         /* s the reward they make */

  /* LOYALTY_KIND_BALANCE */
  LOYALTY_BALANCE_ACCOUNT_ID = 1600,    /* s */
  LOYALTY_BALANCE_AVAILABLE = 1601,     /* i spendable now */
  LOYALTY_BALANCE_PENDING = 1602,       /* i inside the return window */
  LOYALTY_BALANCE_BALANCE = 1603,       /* i ledger balance, may be negative */
  LOYALTY_BALANCE_HELD = 1604,          /* i reserved by open reservations */
  LOYALTY_BALANCE_IS_BLOCKED = 1605,    /* i 0/1 */

  /* LOYALTY_KIND_SYNC_STATUS */
  LOYALTY_SYNC_IS_RUNNING = 1700,       /* i 0/1: the background thread is on */
  LOYALTY_SYNC_LAST_SUCCESS_MS = 1701,  /* i last verified answer from the server; 0: never */
  LOYALTY_SYNC_LAST_ATTEMPT_MS = 1702,  /* i 0: never */
  LOYALTY_SYNC_HEAD_SEQ = 1703,         /* i newest entry of the ledger */
  LOYALTY_SYNC_ACKED_SEQ = 1704,        /* i the server holds every entry up to here */
  LOYALTY_SYNC_BACKLOG = 1705,          /* i entries not acknowledged yet */
  LOYALTY_SYNC_LAST_ERROR_CODE = 1706,  /* i a loyalty_status; LOYALTY_OK after a success */
  LOYALTY_SYNC_LAST_ERROR = 1707,       /* s its message */
  LOYALTY_SYNC_CONSECUTIVE_FAILURES = 1708, /* i */
  LOYALTY_SYNC_NEXT_ATTEMPT_MS = 1709,  /* i when the backoff ends; 0: no backoff */
  LOYALTY_SYNC_EXCEPTION_COUNT = 1710,  /* i entries flagged, rejected or in conflict */
  LOYALTY_SYNC_PROGRAM_VERSION = 1711,  /* i newest program accepted from the server */
  LOYALTY_SYNC_CLOCK_OFFSET_MS = 1712,  /* i server time minus this till's time */
  LOYALTY_SYNC_IS_HALTED = 1713,        /* i 0/1: a fork was found, pushing stopped */

  /* LOYALTY_KIND_SYNC_EXCEPTIONS */
  LOYALTY_SYNC_EXCEPTIONS = 1800,       /* r[] LOYALTY_KIND_SYNC_EXCEPTION, oldest first */

  /* LOYALTY_KIND_SYNC_EXCEPTION */
  LOYALTY_SYNC_EXCEPTION_SEQ = 1900,    /* i the entry's seq in this ledger */
  LOYALTY_SYNC_EXCEPTION_STATUS = 1901, /* s applied_flagged, rejected or conflict */
  LOYALTY_SYNC_EXCEPTION_REASON = 1902, /* s e.g. balance_negative */
  LOYALTY_SYNC_EXCEPTION_BATCH_ID = 1903, /* s */
  LOYALTY_SYNC_EXCEPTION_AT_MS = 1904,  /* i when the server said so */

  /* LOYALTY_KIND_REFUSED_REWARD */
  LOYALTY_REFUSED_REWARD_ID = 2000,     /* s the reward asked for */
  LOYALTY_REFUSED_REWARD_STATUS = 2001, /* i what a commit returns for it:
                                           LOYALTY_REWARD_REFUSED, or
                                           LOYALTY_INSUFFICIENT_POINTS */
  LOYALTY_REFUSED_REWARD_REASON = 2002, /* s "needs tier gold", "not in the program's catalog" */

  /* LOYALTY_KIND_EXCHANGE (see loyalty_exchange) */
  LOYALTY_EXCHANGE_OP_ID = 2100,        /* s the exchange's; both halves carry it too */
  LOYALTY_EXCHANGE_RETURNED = 2101,     /* r[] one LOYALTY_KIND_RECEIPT: the goods back */
  LOYALTY_EXCHANGE_BOUGHT = 2102,       /* r[] one LOYALTY_KIND_RECEIPT: the goods bought */
  LOYALTY_EXCHANGE_REPLAYED = 2103      /* i 0/1: the stored first result */
} loyalty_key;

/* Mirrors loyalty::EntryKind. */
typedef enum loyalty_entry_kind {
  LOYALTY_ENTRY_KIND_ENROLL = 0,
  LOYALTY_ENTRY_KIND_EARN = 1,
  LOYALTY_ENTRY_KIND_REDEEM = 2,
  LOYALTY_ENTRY_KIND_EARN_REVERSAL = 3,
  LOYALTY_ENTRY_KIND_REDEEM_REVERSAL = 4,
  LOYALTY_ENTRY_KIND_ADJUST = 5,
  LOYALTY_ENTRY_KIND_EXPIRE = 6,
  LOYALTY_ENTRY_KIND_BLOCK = 7,
  LOYALTY_ENTRY_KIND_UNBLOCK = 8,
  LOYALTY_ENTRY_KIND_STAMP = 9,  /* stamps collected or spent; moves no points */
  LOYALTY_ENTRY_KIND_STORED_VALUE = 10, /* gift card / wallet money; moves no points */
  LOYALTY_ENTRY_KIND_PROGRAM = 11 /* a program went in force (no account); moves nothing */
} loyalty_entry_kind;

/* Mirrors loyalty::CardSource. */
typedef enum loyalty_card_source {
  LOYALTY_SOURCE_KEYED = 0,
  LOYALTY_SOURCE_MAGSTRIPE_TRACK1 = 1,
  LOYALTY_SOURCE_MAGSTRIPE_TRACK2 = 2,
  LOYALTY_SOURCE_MAGSTRIPE_TRACK3 = 3,
  LOYALTY_SOURCE_NFC_UID = 4,
  LOYALTY_SOURCE_NFC_NDEF = 5,
  LOYALTY_SOURCE_NFC_SUN = 6,
  LOYALTY_SOURCE_SIMULATED = 7
} loyalty_card_source;

/* *out = the result's loyalty_result_kind. Any thread. */
LOYALTY_EXPORT loyalty_status loyalty_result_kind_of(const loyalty_result* result,
                                                     int* out);
/* An integer key (i). */
LOYALTY_EXPORT loyalty_status loyalty_result_int(const loyalty_result* result, int key,
                                                 int64_t* out);
/* A string key (s); *out is owned by `result`. */
LOYALTY_EXPORT loyalty_status loyalty_result_string(const loyalty_result* result, int key,
                                                    const char** out);
/* The number of items of a list key (i[], s[] or r[]). */
LOYALTY_EXPORT loyalty_status loyalty_result_count(const loyalty_result* result, int key,
                                                   size_t* out);
/* Item `index` of an i[] key. */
LOYALTY_EXPORT loyalty_status loyalty_result_int_at(const loyalty_result* result, int key,
                                                    size_t index, int64_t* out);
/* Item `index` of an s[] key; *out is owned by `result`. */
LOYALTY_EXPORT loyalty_status loyalty_result_string_at(const loyalty_result* result,
                                                       int key, size_t index,
                                                       const char** out);
/* Item `index` of an r[] key; *out is borrowed from `result`, valid until
 * `result` is freed: do not free it (loyalty_result_free on an item does
 * nothing). */
LOYALTY_EXPORT loyalty_status loyalty_result_item_at(const loyalty_result* result, int key,
                                                     size_t index,
                                                     const loyalty_result** out);
/* Frees a result received from the library with every item in it. NULL
 * and borrowed items are ignored. */
LOYALTY_EXPORT void loyalty_result_free(loyalty_result* result);

/* ------------------------------------------------------------------ */
/* Options and opening a terminal                                      */
/* ------------------------------------------------------------------ */

typedef struct loyalty_options loyalty_options;
typedef struct loyalty_terminal loyalty_terminal;

/* The time as the library should see it: int64 ms since 1970 UTC. Must be
 * callable from any thread that calls the library. */
typedef int64_t (*loyalty_clock_fn)(void* user_data);
/* Levels: 0 debug, 1 info, 2 warning, 3 error. `message` is valid during
 * the call only; it never holds raw track data or a full card number.
 * Called from whichever thread made the library call. */
typedef void (*loyalty_log_fn)(void* user_data, int level, const char* message);
/* Called now and then during loyalty_verify with entries checked so far
 * and the total. */
typedef void (*loyalty_progress_fn)(void* user_data, int64_t done, int64_t total);

/* A fresh options handle, every field at its default (see
 * docs/integration.md: the C++ Options table). Free with
 * loyalty_options_free. Not thread-safe. */
LOYALTY_EXPORT loyalty_status loyalty_options_new(loyalty_options** out);
LOYALTY_EXPORT void loyalty_options_free(loyalty_options* options);
/* Required: the SQLite ledger file (created and migrated as needed). */
LOYALTY_EXPORT loyalty_status loyalty_options_set_database_path(loyalty_options* options,
                                                                const char* path);
/* Required: this till's id, unique in the chain. */
LOYALTY_EXPORT loyalty_status loyalty_options_set_terminal_id(loyalty_options* options,
                                                              const char* terminal_id);
/* Optional: the store, for rules limited to stores. */
LOYALTY_EXPORT loyalty_status loyalty_options_set_store_id(loyalty_options* options,
                                                           const char* store_id);
/* Required: >= 32 bytes of secret keying the ledger's hash chain. Bytes,
 * not a string: `length` counts them and NULs are allowed. */
LOYALTY_EXPORT loyalty_status loyalty_options_set_terminal_key(loyalty_options* options,
                                                               const void* key,
                                                               size_t length);
/* Instead of loyalty_options_set_terminal_key: the file holding the key,
 * read by loyalty_open itself. A file group or others may read or write
 * (mode 0640, 0604, ...), or that is not a regular file, is refused with
 * LOYALTY_INVALID_ARGUMENT naming the file and its mode; setting both the
 * key and the file is LOYALTY_INVALID_ARGUMENT. NULL or "": none. */
LOYALTY_EXPORT loyalty_status loyalty_options_set_terminal_key_file(loyalty_options* options,
                                                                    const char* path);
/* Optional: keys the hash of stored card numbers (default: terminal key). */
LOYALTY_EXPORT loyalty_status loyalty_options_set_card_key(loyalty_options* options,
                                                           const void* key, size_t length);
/* Required: the program document (JSON). */
LOYALTY_EXPORT loyalty_status loyalty_options_set_program_path(loyalty_options* options,
                                                               const char* path);
/* Optional: the chain's Ed25519 program public key (PEM). Set, every program
 * file needs "<file>.sig" beside it (loyalty-server sign-program), or
 * loyalty_open and loyalty_load_program fail with
 * LOYALTY_TAMPERED naming the file. NULL or "": files are trusted as given. */
LOYALTY_EXPORT loyalty_status loyalty_options_set_program_public_key(loyalty_options* options,
                                                                     const char* pem);
/* Default 0. The ledger records the SHA-256 of every program that goes in
 * force (a LOYALTY_ENTRY_KIND_PROGRAM entry); loyalty_open refuses with
 * LOYALTY_TAMPERED a program file that differs from the last one recorded
 * ("unsigned change on disk") unless it is signed by the program key.
 * 1: puts it in force anyway, logs a warning and records it with a note
 * saying so. */
LOYALTY_EXPORT loyalty_status loyalty_options_set_allow_unsigned_program_change(
    loyalty_options* options, int on);
/* Default 0. 1: lookups, history, reports and verify only, on an existing
 * ledger at the library's schema: the file is opened read-only and nothing
 * is created beside it (no lock file, WAL or SHM), for read-only media or
 * an archived copy. Every call that writes fails with
 * LOYALTY_INVALID_ARGUMENT. Not for a ledger another till writes. */
LOYALTY_EXPORT loyalty_status loyalty_options_set_read_only(loyalty_options* options, int on);
/* Default 0. 1: loyalty_open refuses with LOYALTY_TAMPERED a ledger file
 * that is missing, empty (0 bytes) or has no entries: for a caller whose
 * key file says the key has written entries before (a wiped till is not
 * a new one). */
LOYALTY_EXPORT loyalty_status loyalty_options_set_ledger_must_exist(loyalty_options* options,
                                                                    int on);
/* Default 1. 0: synchronous=NORMAL (faster, may lose the last commits on
 * power loss). */
LOYALTY_EXPORT loyalty_status loyalty_options_set_synchronous_full(loyalty_options* options,
                                                                   int on);
/* Default 2000. Must be >= 0. */
LOYALTY_EXPORT loyalty_status loyalty_options_set_busy_timeout_ms(loyalty_options* options,
                                                                  int ms);
/* Default: the system clock. NULL restores it. `user_data` is passed back
 * and must outlive every terminal opened with these options. */
LOYALTY_EXPORT loyalty_status loyalty_options_set_clock(loyalty_options* options,
                                                        loyalty_clock_fn now_ms,
                                                        void* user_data);
/* Default: silent. NULL silences it again. */
LOYALTY_EXPORT loyalty_status loyalty_options_set_log(loyalty_options* options,
                                                      loyalty_log_fn log, void* user_data);

/* Opens (creating or migrating) the ledger and loads the program. The
 * options are copied: free them whenever you like. Errors:
 * LOYALTY_INVALID_ARGUMENT (a missing option, named; a key file others may
 * read), PROGRAM_INVALID, TAMPERED (a program not signed by the program
 * key; an unsigned change on disk; a ledger that must exist is missing or
 * empty), CURRENCY_MISMATCH, DATABASE_LOCKED (the ledger is open
 * elsewhere), DATABASE_CORRUPT, IO_ERROR. Nothing is written before every
 * option is checked. Any thread. */
LOYALTY_EXPORT loyalty_status loyalty_open(const loyalty_options* options,
                                           loyalty_terminal** out);
/* Frees the handle and closes the ledger, or, while a loyalty_sync made
 * from it is not freed yet, leaves the ledger open (and locked) for that
 * sync and closes it when the sync is freed. NULL is fine. Must not race
 * with other calls on the same handle. */
LOYALTY_EXPORT void loyalty_close(loyalty_terminal* terminal);

/* A new program document; on any problem the current one stays in force
 * and PROGRAM_INVALID lists every problem with its JSON path. Thread-safe. */
LOYALTY_EXPORT loyalty_status loyalty_load_program(loyalty_terminal* terminal,
                                                   const char* path);
/* *out: a LOYALTY_KIND_PROGRAM result. Thread-safe. */
LOYALTY_EXPORT loyalty_status loyalty_program(loyalty_terminal* terminal,
                                              loyalty_result** out);

/* ------------------------------------------------------------------ */
/* The basket                                                          */
/* ------------------------------------------------------------------ */

/* A basket the POS rings up, plus what the sale takes (rewards, points as
 * a tender). Not thread-safe; may be reused for a quote and then the
 * commit. Free with loyalty_basket_free. */
typedef struct loyalty_basket loyalty_basket;

/* `currency`: ISO 4217 code, must equal the program's (checked at quote
 * and commit: CURRENCY_MISMATCH). */
LOYALTY_EXPORT loyalty_status loyalty_basket_new(const char* currency,
                                                 loyalty_basket** out);
LOYALTY_EXPORT void loyalty_basket_free(loyalty_basket* basket);
/* Appends a line: `amount_minor` is what the customer pays for it
 * (quantity x unit price after line discounts), >= 0; `category` may be
 * NULL. Negative amounts are refused at quote/commit with the line named. */
LOYALTY_EXPORT loyalty_status loyalty_basket_add_line(loyalty_basket* basket,
                                                      const char* sku,
                                                      const char* category,
                                                      int64_t quantity,
                                                      int64_t amount_minor);
/* Marks line `index` (0-based, in order of adding) voided or not: a
 * voided line earns nothing. INVALID_ARGUMENT for an index out of range. */
LOYALTY_EXPORT loyalty_status loyalty_basket_set_line_voided(loyalty_basket* basket,
                                                             size_t index, int voided);
/* A reward (catalog id) the sale takes; applied in the order added. */
LOYALTY_EXPORT loyalty_status loyalty_basket_add_reward(loyalty_basket* basket,
                                                        const char* reward_id);
/* Points the customer pays with (the program's tender value); default 0.
 * Used by commit; quotes show rewards only. */
LOYALTY_EXPORT loyalty_status loyalty_basket_set_redeem_points(loyalty_basket* basket,
                                                               int64_t points);
/* A coupon code presented; applied after rewards (quote and commit). */
LOYALTY_EXPORT loyalty_status loyalty_basket_add_coupon(loyalty_basket* basket,
                                                        const char* code);
/* A gift card paying `amount_minor` (> 0) of the sale; INSUFFICIENT_FUNDS
 * at commit when it holds less. Money tenders do not lower what the basket
 * earns. */
LOYALTY_EXPORT loyalty_status loyalty_basket_add_gift_card(loyalty_basket* basket,
                                                           const char* gift_card,
                                                           int64_t amount_minor);
/* Paid from the member's e-wallet; default 0. */
LOYALTY_EXPORT loyalty_status loyalty_basket_set_wallet_minor(loyalty_basket* basket,
                                                              int64_t amount_minor);

/* ------------------------------------------------------------------ */
/* Operations                                                          */
/* ------------------------------------------------------------------ */

/* Every operation that writes takes `op_id`, the POS's own id for it
 * (receipt number, <= 128 characters). The same op_id again returns the
 * first receipt (LOYALTY_RECEIPT_REPLAYED = 1) and writes nothing; the same
 * op_id with other content is DUPLICATE_ID_CONFLICT. A failed operation
 * wrote nothing and may be retried with the same op_id.
 *
 * `cashier_id` (optional, NULL or "" for none) names who rang it up; it is
 * stored beside the operation for the till report and is not part of the
 * operation's content (a retry from another cashier is still a replay).
 *
 * Cards are passed as text ("9900 1234-5678"): spaces and dashes are
 * dropped, letters upper-cased; INVALID_ARGUMENT names a malformed card.
 *
 * All of these are thread-safe on one loyalty_terminal. On success *out is
 * a result the caller frees with loyalty_result_free. */

/* Puts a card on a new account (account_id NULL or "") or an existing one.
 * *out: a receipt. CARD_ALREADY_ENROLLED, PAYMENT_CARD_REFUSED, NOT_FOUND. */
LOYALTY_EXPORT loyalty_status loyalty_enroll(loyalty_terminal* terminal, const char* op_id,
                                             const char* card, const char* account_id,
                                             const char* name, const char* cashier_id,
                                             loyalty_result** out);

/* loyalty_enroll with what a sign-up form may also ask (NULL or "" for
 * none): `birthday` "MM-DD" or "YYYY-MM-DD" (the program's birthday
 * bonus), `referrer` the card of the member who brought this one (the
 * program's referral bonus; INVALID_ARGUMENT names a malformed one,
 * UNKNOWN_CARD one nobody holds). Thread-safe. */
LOYALTY_EXPORT loyalty_status loyalty_enroll_member(loyalty_terminal* terminal,
                                                    const char* op_id, const char* card,
                                                    const char* account_id, const char* name,
                                                    const char* birthday, const char* referrer,
                                                    const char* cashier_id,
                                                    loyalty_result** out);

/* What the till shows for a card. *out: a LOYALTY_KIND_CARD. UNKNOWN_CARD.
 * A blocked card is shown, with LOYALTY_CARD_IS_BLOCKED = 1. Writes nothing. */
LOYALTY_EXPORT loyalty_status loyalty_lookup(loyalty_terminal* terminal, const char* card,
                                             loyalty_result** out);

/* Only the points of a card (no tier, rewards or stamps): for screens that
 * refresh often. *out: a LOYALTY_KIND_BALANCE. UNKNOWN_CARD. Writes nothing. */
LOYALTY_EXPORT loyalty_status loyalty_balance(loyalty_terminal* terminal, const char* card,
                                              loyalty_result** out);

/* What the basket would earn for the card with the basket's rewards.
 * *out: a LOYALTY_KIND_QUOTE. Writes nothing. A reward the card cannot
 * take does not fail the quote: it is listed under
 * LOYALTY_QUOTE_REFUSED_REWARDS with the status a commit would return and
 * the reason, and the quote's figures are without it. */
LOYALTY_EXPORT loyalty_status loyalty_quote(loyalty_terminal* terminal, const char* card,
                                            const loyalty_basket* basket,
                                            loyalty_result** out);

/* A sale: takes the basket's rewards, spends its redeem points and earns
 * on what is left to pay, re-checking what the quote showed. *out: a
 * receipt. UNKNOWN_CARD, CARD_BLOCKED, INSUFFICIENT_POINTS, AMOUNT_NEGATIVE,
 * AMOUNT_OVERFLOW, CURRENCY_MISMATCH, DUPLICATE_ID_CONFLICT,
 * REWARD_REFUSED (a reward the card cannot take, named; the quote lists
 * the reason under LOYALTY_QUOTE_REFUSED_REWARDS). */
LOYALTY_EXPORT loyalty_status loyalty_commit(loyalty_terminal* terminal, const char* op_id,
                                             const char* card,
                                             const loyalty_basket* basket,
                                             const char* cashier_id,
                                             loyalty_result** out);

/* For tills where payment can still fail: takes what the sale spends
 * (points, rewards, stamps: held) and nothing more. Then confirm (books
 * what the sale earns) or release (gives everything back), each with an
 * op_id of its own. A reservation left open past the program's
 * reservations.hold_minutes releases itself. *out: a receipt
 * (LOYALTY_RECEIPT_HELD). NOT_FOUND, ALREADY_REVERSED. Thread-safe. */
LOYALTY_EXPORT loyalty_status loyalty_reserve(loyalty_terminal* terminal, const char* op_id,
                                              const char* card,
                                              const loyalty_basket* basket,
                                              const char* cashier_id,
                                              loyalty_result** out);
LOYALTY_EXPORT loyalty_status loyalty_confirm_reservation(loyalty_terminal* terminal,
                                                          const char* op_id,
                                                          const char* reservation_op_id,
                                                          loyalty_result** out);
LOYALTY_EXPORT loyalty_status loyalty_release_reservation(loyalty_terminal* terminal,
                                                          const char* op_id,
                                                          const char* reservation_op_id,
                                                          loyalty_result** out);

/* Gift cards and the e-wallet: money in the program currency. A gift card
 * is created by its first load; `amount_minor` > 0. UNKNOWN_CARD (wallet
 * of an unknown card). *out: a receipt (LOYALTY_RECEIPT_STORED_VALUE_MINOR).
 * Thread-safe. */
LOYALTY_EXPORT loyalty_status loyalty_load_gift_card(loyalty_terminal* terminal,
                                                     const char* op_id,
                                                     const char* gift_card,
                                                     int64_t amount_minor,
                                                     loyalty_result** out);
/* *balance_minor: what the gift card holds. NOT_FOUND / UNKNOWN_CARD. */
LOYALTY_EXPORT loyalty_status loyalty_gift_card_balance(loyalty_terminal* terminal,
                                                        const char* gift_card,
                                                        int64_t* balance_minor);
LOYALTY_EXPORT loyalty_status loyalty_top_up_wallet(loyalty_terminal* terminal,
                                                    const char* op_id, const char* card,
                                                    int64_t amount_minor,
                                                    loyalty_result** out);
/* Takes back all of a gift-card load or wallet top-up (`load_op_id`, the
 * op_id it was made with) not taken back yet: a load keyed by mistake, a
 * gift card returned unused. Only money still on the card comes back: the
 * card's money is spent first in, first out, so a load that is partly spent
 * is refused with INSUFFICIENT_FUNDS, loyalty_last_error() naming how much
 * is left to take back (take that with loyalty_refund_load). `operator_id`
 * required, `reason` optional. Writes a stored_value entry of minus the
 * amount that syncs like any other. *out: a receipt
 * (LOYALTY_RECEIPT_STORED_VALUE_MINOR negative). NOT_FOUND (no such
 * operation at this till), INVALID_ARGUMENT (not a load: sales go through
 * loyalty_void), ALREADY_REVERSED (taken back in full before).
 * loyalty_void and loyalty_refund refuse a load and name these calls.
 * Thread-safe. */
LOYALTY_EXPORT loyalty_status loyalty_void_load(loyalty_terminal* terminal, const char* op_id,
                                                const char* load_op_id,
                                                const char* operator_id, const char* reason,
                                                const char* cashier_id, loyalty_result** out);
/* The same for `amount_minor` (> 0) of the load: INVALID_ARGUMENT above
 * what the load has left, INSUFFICIENT_FUNDS above what of it is not
 * spent. Thread-safe. */
LOYALTY_EXPORT loyalty_status loyalty_refund_load(loyalty_terminal* terminal,
                                                  const char* op_id, const char* load_op_id,
                                                  int64_t amount_minor,
                                                  const char* operator_id, const char* reason,
                                                  const char* cashier_id,
                                                  loyalty_result** out);

/* Points spent outside a sale (a reward handed over the counter).
 * `points` > 0. INSUFFICIENT_POINTS. *out: a receipt. */
LOYALTY_EXPORT loyalty_status loyalty_redeem(loyalty_terminal* terminal, const char* op_id,
                                             const char* card, int64_t points,
                                             const char* reason, const char* cashier_id,
                                             loyalty_result** out);

/* A return of `amount_minor` of sale `sale_op_id`: earned points are taken
 * back in proportion; points the sale paid as a tender or for an order-level
 * reward (order_amount, order_percent, voucher) come back in proportion,
 * points paid for a reward bound to lines (free_product, lines_amount,
 * lines_percent, cheapest_free) only with the last of the sale's money
 * (a return by amount names no goods; loyalty_refund_lines does). Points
 * that expired or were taken back before are not taken again; earned points
 * already spent become debt. NOT_FOUND, ALREADY_REVERSED, INVALID_ARGUMENT
 * (more than is left), AMOUNT_NEGATIVE. */
LOYALTY_EXPORT loyalty_status loyalty_refund(loyalty_terminal* terminal, const char* op_id,
                                             const char* sale_op_id, int64_t amount_minor,
                                             const char* cashier_id, loyalty_result** out);
/* The same for everything of the sale not refunded yet. */
LOYALTY_EXPORT loyalty_status loyalty_refund_rest(loyalty_terminal* terminal,
                                                  const char* op_id,
                                                  const char* sale_op_id,
                                                  const char* cashier_id,
                                                  loyalty_result** out);
/* A return line by line: `count` pairs of (line number in the sale's
 * basket, units returned); the points those lines earned are taken back
 * exactly, and a reward bound to lines gives its points back when the
 * lines it discounted come back (docs/integration.md, "Refunds and debt"). Line numbers count from 0, in the order the sale's lines were
 * added (loyalty_basket_add_line), voided lines included, like the
 * LOYALTY_QUOTE_LINE_* and LOYALTY_RECEIPT_LINE_POINTS lists.
 * INVALID_ARGUMENT names a line the sale does not have or more units than
 * are left of it; count 0: INVALID_ARGUMENT (use loyalty_refund_rest). */
LOYALTY_EXPORT loyalty_status loyalty_refund_lines(loyalty_terminal* terminal,
                                                   const char* op_id,
                                                   const char* sale_op_id,
                                                   const int64_t* line_numbers,
                                                   const int64_t* quantities, size_t count,
                                                   const char* cashier_id,
                                                   loyalty_result** out);

/* An exchange at the service desk: goods of sale `sale_op_id` come back
 * (`count` pairs of line number and units, as loyalty_refund_lines counts
 * them) and the customer buys `basket` instead, on `card`, a card of the
 * sale's account, in one operation under one op_id. Both halves are
 * written or neither: a purchase the card cannot pay (INSUFFICIENT_POINTS,
 * a reward it cannot take) leaves the goods unreturned too. The return
 * half does what loyalty_refund_lines does, the purchase half what
 * loyalty_commit does with the basket's rewards, coupons and tenders. The
 * goods bought come back later by the exchange's op_id
 * (loyalty_refund_lines with sale_op_id = op_id). The same op_id again
 * replays both halves. *out: a LOYALTY_KIND_EXCHANGE with a receipt per
 * half: LOYALTY_EXCHANGE_RETURNED (earned <= 0; redeemed < 0 for points
 * given back) and LOYALTY_EXCHANGE_BOUGHT, whose LOYALTY_RECEIPT_CARD is
 * the account once both halves are written. Errors: those of loyalty_refund_lines and of loyalty_commit;
 * INVALID_ARGUMENT for count 0 or a card not on the sale's account.
 * Thread-safe. */
LOYALTY_EXPORT loyalty_status loyalty_exchange(loyalty_terminal* terminal, const char* op_id,
                                               const char* sale_op_id,
                                               const int64_t* line_numbers,
                                               const int64_t* quantities, size_t count,
                                               const char* card, const loyalty_basket* basket,
                                               const char* cashier_id, loyalty_result** out);

/* Undoes a sale, redemption or adjustment made by mistake. `operator_id`
 * required. NOT_FOUND, ALREADY_REVERSED. */
LOYALTY_EXPORT loyalty_status loyalty_void(loyalty_terminal* terminal, const char* op_id,
                                           const char* target_op_id,
                                           const char* operator_id, const char* reason,
                                           const char* cashier_id, loyalty_result** out);

/* A manual correction by staff: `points` signed, non-zero; `operator_id`
 * and `reason` required. */
LOYALTY_EXPORT loyalty_status loyalty_adjust(loyalty_terminal* terminal, const char* op_id,
                                             const char* card, int64_t points,
                                             const char* operator_id, const char* reason,
                                             const char* cashier_id, loyalty_result** out);

/* Blocks (blocked = 1) or unblocks (0) a card; `operator_id` required. */
LOYALTY_EXPORT loyalty_status loyalty_block(loyalty_terminal* terminal, const char* op_id,
                                            const char* card, int blocked,
                                            const char* operator_id, const char* reason,
                                            const char* cashier_id, loyalty_result** out);

/* A bonus for something the customer did ("review"): the program's
 * bonuses.events entry; INVALID_ARGUMENT when it has none. */
LOYALTY_EXPORT loyalty_status loyalty_record_event(loyalty_terminal* terminal,
                                                   const char* op_id, const char* card,
                                                   const char* event,
                                                   const char* cashier_id,
                                                   loyalty_result** out);

/* A sale made without a card, for the till report's member share and
 * average baskets. Idempotent on op_id like the others (the same op_id
 * with another amount: DUPLICATE_ID_CONFLICT). `amount_minor` >= 0 in the
 * program's currency (CURRENCY_MISMATCH otherwise). Writes no ledger entry. */
LOYALTY_EXPORT loyalty_status loyalty_record_anonymous_sale(loyalty_terminal* terminal,
                                                            const char* op_id,
                                                            const char* currency,
                                                            int64_t amount_minor,
                                                            const char* cashier_id);

/* Writes expiry entries for every lot past its date (run daily).
 * *out: a LOYALTY_KIND_EXPIRY with one receipt per account touched. */
LOYALTY_EXPORT loyalty_status loyalty_expire(loyalty_terminal* terminal, const char* op_id,
                                             loyalty_result** out);

/* The card's account entries, newest first, at most `limit` (> 0).
 * *out: a LOYALTY_KIND_HISTORY. */
LOYALTY_EXPORT loyalty_status loyalty_history(loyalty_terminal* terminal, const char* card,
                                              int limit, loyalty_result** out);

/* Checks the hash chain, its head and every cached balance. Never writes.
 * LOYALTY_OK with LOYALTY_VERIFY_OK = 0 when the ledger does not verify;
 * `progress` may be NULL. *out: a LOYALTY_KIND_VERIFY. */
LOYALTY_EXPORT loyalty_status loyalty_verify(loyalty_terminal* terminal,
                                             loyalty_progress_fn progress, void* user_data,
                                             loyalty_result** out);

/* Rebuilds cached balances and lots from the entries. */
LOYALTY_EXPORT loyalty_status loyalty_rebuild_balances(loyalty_terminal* terminal);

/* The end-of-day loyalty report of this till for [from_ms, to_ms), in
 * total and per cashier (loyalty_store_day gives the window of a store's
 * day). The money value of points is
 * `point_value_minor` minor units per `point_value_points` points (e.g.
 * 1 and 1: a point is worth a cent); 0 and 1: the program's
 * tender.point_value per point when it sets one, else unknown (money 0).
 * *out: a LOYALTY_KIND_REPORT (text and JSON renderings included).
 * INVALID_ARGUMENT: from_ms > to_ms, point_value_points <= 0 or
 * point_value_minor < 0. Writes nothing. Thread-safe. */
LOYALTY_EXPORT loyalty_status loyalty_till_report(loyalty_terminal* terminal,
                                                  int64_t from_ms, int64_t to_ms,
                                                  int64_t point_value_minor,
                                                  int64_t point_value_points,
                                                  loyalty_result** out);

/* ------------------------------------------------------------------ */
/* Money and store days                                                */
/* ------------------------------------------------------------------ */

/* The number of decimals of an ISO 4217 currency ("EUR" 2, "JPY" 0,
 * "KWD" 3): minor units per major unit are 10 to that power.
 * INVALID_ARGUMENT names an unknown code. Any thread. */
LOYALTY_EXPORT loyalty_status loyalty_currency_decimals(const char* currency, int* out);
/* What a cashier typed ("12.34", "12", "0.5", "-3.10") as minor units of
 * `currency`. More decimals than the currency has, or anything else than
 * digits, one '.' and a leading '-': INVALID_ARGUMENT naming the text
 * (never a rounding). Any thread. */
LOYALTY_EXPORT loyalty_status loyalty_money_parse(const char* currency, const char* text,
                                                  int64_t* amount_minor);
/* The amount as a till shows it, with the currency's decimals and no
 * currency code: 1234 EUR is "12.34", -50 KWD "-0.050", 1200 JPY "1200".
 * Writes it NUL-terminated into `buffer` of `size` bytes; *length is its
 * length without the NUL. buffer NULL and size 0: only *length (ask, then
 * allocate *length + 1). A buffer too small: INVALID_ARGUMENT, buffer "".
 * Any thread. */
LOYALTY_EXPORT loyalty_status loyalty_money_format(const char* currency, int64_t amount_minor,
                                                   char* buffer, size_t size, size_t* length);
/* The store's calendar day around `at_ms`, in the program's time_zone
 * (UTC when it sets none): [*from_ms, *to_ms), the window to pass to
 * loyalty_till_report for "today" (23 or 25 hours on a clock change).
 * Thread-safe. */
LOYALTY_EXPORT loyalty_status loyalty_store_day(loyalty_terminal* terminal, int64_t at_ms,
                                                int64_t* from_ms, int64_t* to_ms);

/* ------------------------------------------------------------------ */
/* Card readers                                                        */
/* ------------------------------------------------------------------ */

/* Present in every build. libloyalty.so loads the readers from
 * libloyalty_readers.so (built with CMake LOYALTY_CAPI_READERS, default ON)
 * on the first reader call: from $LOYALTY_READERS_LIBRARY when set, else
 * from beside libloyalty.so, else the library path. Without it, and always
 * in libloyalty.a, the reader calls return LOYALTY_UNSUPPORTED naming why;
 * the rest of the library works (it needs no reader library). */
typedef struct loyalty_reader loyalty_reader;

/* Opens a reader by connection string ("sim:", "magstripe-evdev:/dev/input/
 * event3", "pn532_uart:/dev/ttyUSB0", "" = first NFC reader found) and
 * starts it. INVALID_ARGUMENT naming the string when no driver matches;
 * UNSUPPORTED when the driver (or readers at all) is not built in;
 * DEVICE_GONE / IO_ERROR naming the device. */
LOYALTY_EXPORT loyalty_status loyalty_reader_open(const char* connection,
                                                  loyalty_reader** out);
/* Settings of a reader beyond its connection string. Not thread-safe; may
 * be freed once the reader is open. */
typedef struct loyalty_reader_options loyalty_reader_options;
/* An NTAG 424 DNA card's SDMFileReadKey for `uid_hex` (14 upper-case hex
 * digits): write 16 bytes to key_out and return 1, or return 0 for a card
 * the program did not issue (refused). Called from the thread that waits
 * for cards; must not call back into the reader. */
typedef int (*loyalty_sun_file_key_fn)(void* user_data, const char* uid_hex,
                                       uint8_t key_out[16]);

/* *out: empty settings (no log, no SUN keys). Any thread. */
LOYALTY_EXPORT loyalty_status loyalty_reader_options_new(loyalty_reader_options** out);
/* Frees the settings; readers opened with them keep what they need. NULL
 * is fine. Not while another thread uses the same options. */
LOYALTY_EXPORT void loyalty_reader_options_free(loyalty_reader_options* options);
/* The reader's log (bad reads, reconnects; masked card numbers only),
 * called from the thread that waits for cards. Not while another thread
 * uses the same options. */
LOYALTY_EXPORT loyalty_status loyalty_reader_options_set_log(loyalty_reader_options* options,
                                                             loyalty_log_fn log,
                                                             void* user_data);
/* Keys for NFC readers opened with "?sun=1" (NTAG 424 DNA secure unique
 * messages, docs/readers.md): the SDMMetaReadKey, the per-card
 * SDMFileReadKey callback, and `counter_file`, a SQLite file (created when
 * absent) that keeps each card's last read counter so a replayed tap is
 * refused, also after a restart. IO_ERROR naming the file when it cannot
 * be opened; INVALID_ARGUMENT naming a NULL key, callback or file. Not
 * while another thread uses the same options. */
LOYALTY_EXPORT loyalty_status loyalty_reader_options_set_sun(loyalty_reader_options* options,
                                                             const uint8_t meta_read_key[16],
                                                             loyalty_sun_file_key_fn file_key,
                                                             void* user_data,
                                                             const char* counter_file);
/* loyalty_reader_open with settings; `options` may be NULL. A "?sun=1"
 * connection without loyalty_reader_options_set_sun: INVALID_ARGUMENT.
 * Any thread; several readers may be opened with the same options (they
 * share its counters, and its file_key callback may then be called from
 * each reader's thread) as long as no thread changes the options. */
LOYALTY_EXPORT loyalty_status loyalty_reader_open_with(const char* connection,
                                                       const loyalty_reader_options* options,
                                                       loyalty_reader** out);
/* Blocks until the next card, at most `timeout_ms`. A good read: LOYALTY_OK
 * and *out a LOYALTY_KIND_CARD_READ. A bad read (torn swipe): BAD_READ with
 * the reason in loyalty_last_error(), for the cashier. Also TIMEOUT,
 * CANCELLED, DEVICE_GONE (call loyalty_reader_restart), IO_ERROR. One
 * thread at a time. */
LOYALTY_EXPORT loyalty_status loyalty_reader_wait(loyalty_reader* reader, int64_t timeout_ms,
                                                  loyalty_result** out);
/* Makes a loyalty_reader_wait blocked in another thread return CANCELLED
 * promptly. Any thread. Never lost: made while no wait is in progress, it
 * makes the next loyalty_reader_wait return CANCELLED at once (that wait
 * uses it up). */
LOYALTY_EXPORT loyalty_status loyalty_reader_cancel(loyalty_reader* reader);
/* Reopens the device after DEVICE_GONE. */
LOYALTY_EXPORT loyalty_status loyalty_reader_restart(loyalty_reader* reader);
/* Releases the device and frees the handle. NULL is fine. */
LOYALTY_EXPORT void loyalty_reader_close(loyalty_reader* reader);
/* What the till shows for a good read (a LOYALTY_KIND_CARD_READ result):
 * the same as loyalty_lookup on its LOYALTY_READ_CARD. Thread-safe. */
LOYALTY_EXPORT loyalty_status loyalty_identify(loyalty_terminal* terminal,
                                               const loyalty_result* read,
                                               loyalty_result** out);

/* ------------------------------------------------------------------ */
/* Sync with the chain's central server (docs/sync-protocol.md)        */
/* ------------------------------------------------------------------ */

/* Settings of a sync, each with the default of loyalty::SyncOptions.
 * Not thread-safe. Free with loyalty_sync_options_free. */
typedef struct loyalty_sync_options loyalty_sync_options;
typedef struct loyalty_sync loyalty_sync;

LOYALTY_EXPORT loyalty_status loyalty_sync_options_new(loyalty_sync_options** out);
LOYALTY_EXPORT void loyalty_sync_options_free(loyalty_sync_options* options);
/* Required: "https://host[:port]". */
LOYALTY_EXPORT loyalty_status loyalty_sync_options_set_server_url(loyalty_sync_options* options,
                                                                  const char* url);
/* The CAs that sign the server's certificate: a PEM file, or the PEM text
 * (which wins). Neither: the system's CAs. */
LOYALTY_EXPORT loyalty_status loyalty_sync_options_set_ca(loyalty_sync_options* options,
                                                          const char* ca_file,
                                                          const char* ca_pem);
/* "sha256//<base64>[;sha256//<base64>]": the server's public key must be
 * one of these. NULL or "": no pin. */
LOYALTY_EXPORT loyalty_status loyalty_sync_options_set_pinned_public_key(
    loyalty_sync_options* options, const char* pins);
/* Mutual TLS: this terminal's certificate and key, as PEM files. */
LOYALTY_EXPORT loyalty_status loyalty_sync_options_set_client_cert(
    loyalty_sync_options* options, const char* cert_file, const char* key_file);
/* The server's Ed25519 receipt key and the chain's program key (PEM).
 * Both optional (NULL or ""): without the receipt key the server's
 * receipts are stored unchecked, so a ledger rewritten on the till is not
 * caught against them; without the program key programs sent by the
 * server are refused (logged) and the till keeps its own file. */
LOYALTY_EXPORT loyalty_status loyalty_sync_options_set_trusted_keys(
    loyalty_sync_options* options, const char* receipt_public_key_pem,
    const char* program_public_key_pem);
/* Batches: at most `max_entries` entries or `max_bytes` bytes, sent once
 * the oldest unsent entry is `max_age_ms` old. 0 keeps a default. */
LOYALTY_EXPORT loyalty_status loyalty_sync_options_set_batches(loyalty_sync_options* options,
                                                               int64_t max_entries,
                                                               int64_t max_bytes,
                                                               int64_t max_age_ms);
/* Connect (TCP + TLS) and whole-request time limits, and the idle time
 * between rounds. 0 keeps a default. */
LOYALTY_EXPORT loyalty_status loyalty_sync_options_set_timing(loyalty_sync_options* options,
                                                              int64_t connect_timeout_ms,
                                                              int64_t request_timeout_ms,
                                                              int64_t poll_interval_ms);

/* Attaches a sync to an open terminal (creating its tables in the ledger);
 * one sync per terminal at a time. The sync holds on to the terminal: free
 * the two in either order (loyalty_close first leaves the ledger open for
 * the sync until loyalty_sync_free). The options may be freed afterwards.
 * INVALID_ARGUMENT names a bad option. */
LOYALTY_EXPORT loyalty_status loyalty_sync_create(loyalty_terminal* terminal,
                                                  const loyalty_sync_options* options,
                                                  loyalty_sync** out);
/* Stops the thread (if any) and frees the handle; closes the ledger when
 * loyalty_close was called on its terminal before. NULL is fine. */
LOYALTY_EXPORT void loyalty_sync_free(loyalty_sync* sync);
/* Runs rounds on a thread of the library's own until loyalty_sync_stop.
 * Checkout never waits for it. Thread-safe. */
LOYALTY_EXPORT loyalty_status loyalty_sync_start(loyalty_sync* sync);
/* Returns within about a second, even mid-request. Thread-safe. */
LOYALTY_EXPORT loyalty_status loyalty_sync_stop(loyalty_sync* sync);
/* For tills without threads: does what is due now (at most one request)
 * and returns; LOYALTY_OK when nothing was due. Thread-safe. */
LOYALTY_EXPORT loyalty_status loyalty_sync_pump(loyalty_sync* sync);
/* Pushes everything and pulls every page now, ignoring the backoff.
 * NETWORK_ERROR, TIMEOUT, TLS_REFUSED, SERVER_REFUSED (the message says
 * what); configuration mistakes, each message naming the option to fix:
 * UNKNOWN_TERMINAL (the server has no terminal of this terminal_id),
 * KEY_MISMATCH (terminal_key or receipt_public_key_pem is not the
 * server's); SYNC_FORK ("fork at seq N": this ledger and the server's copy
 * differ; pushing stays stopped, also after a restart, until an operator
 * acts, docs/sync-protocol.md 3.6). Thread-safe. */
LOYALTY_EXPORT loyalty_status loyalty_sync_now(loyalty_sync* sync);
/* *out: a LOYALTY_KIND_SYNC_STATUS. Thread-safe. */
LOYALTY_EXPORT loyalty_status loyalty_sync_status(loyalty_sync* sync, loyalty_result** out);
/* *out: a LOYALTY_KIND_SYNC_EXCEPTIONS. Thread-safe. */
LOYALTY_EXPORT loyalty_status loyalty_sync_exceptions(loyalty_sync* sync, loyalty_result** out);

#ifdef __cplusplus
}  /* extern "C" */
#endif

#endif /* LOYALTY_LOYALTY_H_ */
