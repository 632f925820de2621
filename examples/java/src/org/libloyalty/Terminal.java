package org.libloyalty;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * An open till (loyalty_open): enrol, look up, quote, commit, return, exchange, report. Thread-safe;
 * close() waits for calls running in other threads. Results are maps keyed by the header's
 * key names without their kind, in camelCase (LOYALTY_CARD_AVAILABLE is "available"),
 * integers as Long, nested results as lists of maps.
 */
public final class Terminal implements AutoCloseable {
  /** What loyalty_open needs; the four setters without a default are required. */
  public static final class Options {
    String databasePath;
    String terminalId;
    byte[] terminalKey;
    String programPath;
    String storeId;
    String terminalKeyFile;
    boolean allowUnsignedProgramChange;
    boolean readOnly;
    boolean ledgerMustExist;
    LongSupplier clock;

    public Options databasePath(String path) { databasePath = path; return this; }
    public Options terminalId(String id) { terminalId = id; return this; }
    /** At least 32 bytes of secret keying the ledger's hash chain. */
    public Options terminalKey(byte[] key) { terminalKey = key.clone(); return this; }
    public Options programPath(String path) { programPath = path; return this; }
    public Options storeId(String id) { storeId = id; return this; }
    /** Instead of terminalKey: the file holding it; refused when group or others may read it. */
    public Options terminalKeyFile(String path) { terminalKeyFile = path; return this; }
    /** Puts a program file that differs from the last one recorded in force (logged). */
    public Options allowUnsignedProgramChange(boolean on) { allowUnsignedProgramChange = on; return this; }
    /** Lookups, history, reports and verify only; nothing created beside the ledger. */
    public Options readOnly(boolean on) { readOnly = on; return this; }
    /** Refuses a missing, empty or entry-less ledger (its key wrote entries before). */
    public Options ledgerMustExist(boolean on) { ledgerMustExist = on; return this; }
    /** Milliseconds since 1970 UTC (a fake clock for tests); default the system's. */
    public Options clock(LongSupplier msSinceEpoch) { clock = msSinceEpoch; return this; }
  }

  private final Handle handle;
  // Kept referenced while the native terminal may call it (a Sync holds this object).
  private final LoyaltyNative.loyalty_clock_fn clockCallback;

  public Terminal(Options o) {
    LoyaltyNative l = Loyalty.lib();
    PointerByReference out = new PointerByReference();
    Loyalty.check(l.loyalty_options_new(out));
    Pointer options = out.getValue();
    try {
      Loyalty.check(l.loyalty_options_set_database_path(options, o.databasePath));
      Loyalty.check(l.loyalty_options_set_terminal_id(options, o.terminalId));
      if (o.terminalKeyFile == null || o.terminalKey != null) {
        byte[] key = o.terminalKey == null ? new byte[0] : o.terminalKey;
        Loyalty.check(l.loyalty_options_set_terminal_key(options, key, key.length));
      }
      if (o.terminalKeyFile != null) {
        Loyalty.check(l.loyalty_options_set_terminal_key_file(options, o.terminalKeyFile));
      }
      if (o.allowUnsignedProgramChange) {
        Loyalty.check(l.loyalty_options_set_allow_unsigned_program_change(options, 1));
      }
      if (o.readOnly) Loyalty.check(l.loyalty_options_set_read_only(options, 1));
      if (o.ledgerMustExist) Loyalty.check(l.loyalty_options_set_ledger_must_exist(options, 1));
      Loyalty.check(l.loyalty_options_set_program_path(options, o.programPath));
      if (o.storeId != null) Loyalty.check(l.loyalty_options_set_store_id(options, o.storeId));
      if (o.clock != null) {
        LongSupplier clock = o.clock;
        clockCallback = user -> clock.getAsLong();
        Loyalty.check(l.loyalty_options_set_clock(options, clockCallback, null));
      } else {
        clockCallback = null;
      }
      PointerByReference terminal = new PointerByReference();
      Loyalty.check(l.loyalty_open(options, terminal));
      handle = Handle.of(this, terminal.getValue(), p -> Loyalty.lib().loyalty_close(p),
          "terminal");
    } finally {
      l.loyalty_options_free(options);
    }
  }

  Handle handle() {
    return handle;
  }

  private interface ResultCall {
    int call(LoyaltyNative l, Pointer terminal, PointerByReference out);
  }

  private Map<String, Object> result(ResultCall call) {
    return handle.use(t -> {
      PointerByReference out = new PointerByReference();
      return Loyalty.take(call.call(Loyalty.lib(), t, out), out);
    });
  }

  private interface BasketCall {
    int call(LoyaltyNative l, Pointer terminal, Pointer basket, PointerByReference out);
  }

  private Map<String, Object> withBasket(Basket basket, BasketCall call) {
    Pointer b = basket.toNative();
    try {
      return result((l, t, out) -> call.call(l, t, b, out));
    } finally {
      Loyalty.lib().loyalty_basket_free(b);
    }
  }

  /** Puts a card on a new account; a receipt. */
  public Map<String, Object> enroll(String opId, String card, String name, String cashierId) {
    return result((l, t, out) -> l.loyalty_enroll(t, opId, card, null, name, cashierId, out));
  }

  /** What the till shows for a card. */
  public Map<String, Object> lookup(String card) {
    return result((l, t, out) -> l.loyalty_lookup(t, card, out));
  }

  /** Only the points: available, pending, balance, held, isBlocked. */
  public Map<String, Object> balance(String card) {
    return result((l, t, out) -> l.loyalty_balance(t, card, out));
  }

  /** What the basket would earn, with its explanations; writes nothing. */
  public Map<String, Object> quote(String card, Basket basket) {
    return withBasket(basket, (l, t, b, out) -> l.loyalty_quote(t, card, b, out));
  }

  /** The sale; the same opId again replays the first receipt ("replayed" 1). */
  public Map<String, Object> commit(String opId, String card, Basket basket, String cashierId) {
    return withBasket(basket, (l, t, b, out) -> l.loyalty_commit(t, opId, card, b, cashierId,
        out));
  }

  /** A return of amountMinor of a sale. */
  public Map<String, Object> refund(String opId, String saleOpId, long amountMinor,
      String cashierId) {
    return result((l, t, out) -> l.loyalty_refund(t, opId, saleOpId, amountMinor, cashierId,
        out));
  }

  /** Everything of a sale not returned yet. */
  public Map<String, Object> refundRest(String opId, String saleOpId, String cashierId) {
    return result((l, t, out) -> l.loyalty_refund_rest(t, opId, saleOpId, cashierId, out));
  }

  /** A return line by line: line numbers count from 0 in the order the sale added them. */
  public Map<String, Object> refundLines(String opId, String saleOpId, long[] lineNumbers,
      long[] quantities, String cashierId) {
    if (lineNumbers.length != quantities.length) {
      throw new IllegalArgumentException("lineNumbers and quantities differ in length");
    }
    return result((l, t, out) -> l.loyalty_refund_lines(t, opId, saleOpId, lineNumbers,
        quantities, lineNumbers.length, cashierId, out));
  }

  /**
   * An exchange: units of a sale's lines back (as refundLines counts them) and the basket
   * bought instead on card, a card of the sale's account, in one operation: both halves are
   * written or neither. A map with "opId", "replayed" and a receipt per half, "returned" and
   * "bought" (whose "card" is the account after both). The goods bought come back later with
   * refundLines or refundRest on saleOpId = opId.
   */
  @SuppressWarnings("unchecked")
  public Map<String, Object> exchange(String opId, String saleOpId, long[] lineNumbers,
      long[] quantities, String card, Basket basket, String cashierId) {
    if (lineNumbers.length != quantities.length) {
      throw new IllegalArgumentException("lineNumbers and quantities differ in length");
    }
    Map<String, Object> done = withBasket(basket, (l, t, b, out) -> l.loyalty_exchange(t, opId,
        saleOpId, lineNumbers, quantities, lineNumbers.length, card, b, cashierId, out));
    // One receipt per half: the header's one-item lists as plain maps.
    done.put("returned", ((List<Map<String, Object>>) done.get("returned")).get(0));
    done.put("bought", ((List<Map<String, Object>>) done.get("bought")).get(0));
    return done;
  }

  /** The till report for [fromMs, toMs); pointValue minor units per pointValuePoints. */
  public Map<String, Object> report(long fromMs, long toMs, long pointValueMinor,
      long pointValuePoints) {
    return result((l, t, out) -> l.loyalty_till_report(t, fromMs, toMs, pointValueMinor,
        pointValuePoints, out));
  }

  /** The store's day around atMs in the program's time zone: {fromMs, toMs}. */
  public long[] storeDay(long atMs) {
    return handle.use(t -> {
      com.sun.jna.ptr.LongByReference from = new com.sun.jna.ptr.LongByReference();
      com.sun.jna.ptr.LongByReference to = new com.sun.jna.ptr.LongByReference();
      Loyalty.check(Loyalty.lib().loyalty_store_day(t, atMs, from, to));
      return new long[] {from.getValue(), to.getValue()};
    });
  }

  /** The account's entries, newest first. */
  @SuppressWarnings("unchecked")
  public List<Map<String, Object>> history(String card, int limit) {
    return (List<Map<String, Object>>) result((l, t, out) -> l.loyalty_history(t, card, limit,
        out)).get("entries");
  }

  /** Frees the handle; a Sync made from it keeps the ledger open until it is closed too. */
  @Override
  public void close() {
    handle.run();
  }
}
