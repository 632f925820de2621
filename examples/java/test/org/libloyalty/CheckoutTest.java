package org.libloyalty;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** A checkout from Java as a JavaPOS till would run it, against libloyalty.so. */
public class CheckoutTest {
  static final String CARD = "9900 0000 0042";
  static final String PROGRAM = "{\"format\": 1, \"id\": \"java-shop\", \"version\": 1,"
      + " \"name\": \"Java Shop\", \"currency\": \"EUR\", \"time_zone\": \"Europe/Berlin\","
      + " \"earn\": {\"points\": 1, \"per\": \"1.00\"}, \"bonuses\": {\"signup\": 50},"
      + " \"rewards\": [{\"id\": \"five-off\", \"kind\": \"order_amount\", \"cost\": 50,"
      + " \"amount\": \"5.00\"}, {\"id\": \"ten-off\", \"kind\": \"order_amount\","
      + " \"cost\": 80, \"amount\": \"10.00\"}]}";

  Path dir;
  final AtomicLong now = new AtomicLong(1_767_261_600_000L);  // 2026-01-01 10:00 UTC
  Terminal till;

  Terminal open() throws Exception {
    Files.writeString(dir.resolve("program.json"), PROGRAM);
    return new Terminal(new Terminal.Options()
        .databasePath(dir.resolve("till.db").toString())
        .terminalId("till-java")
        .terminalKey("java-till-secret-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8))
        .programPath(dir.resolve("program.json").toString())
        .clock(now::get));
  }

  @Before
  public void setUp() throws Exception {
    dir = Files.createTempDirectory("loyalty-java-");
    till = open();
  }

  @After
  public void tearDown() throws Exception {
    till.close();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  public void aWholeCheckout() {
    Map<String, Object> enrolled = till.enroll("E-1", CARD, "Ada Lovelace", "maria");
    assertEquals(50L, enrolled.get("earned"));
    assertEquals("Ada Lovelace", till.lookup(CARD).get("name"));

    Basket basket = new Basket("EUR")
        .line("4006381333931", "stationery", 2, 2500)
        .line("5000112637922", "drinks", 1, 3999)
        .reward("five-off");
    Map<String, Object> quote = till.quote(CARD, basket);
    assertEquals(6499L, quote.get("basketMinor"));
    assertEquals(500L, quote.get("discountMinor"));
    assertEquals(59L, quote.get("pointsToEarn"));
    assertFalse(((List<?>) quote.get("explanations")).isEmpty());

    Map<String, Object> receipt = till.commit("R-1", CARD, basket, "maria");
    assertEquals(59L, receipt.get("earned"));
    assertEquals(50L, receipt.get("redeemed"));
    assertEquals(0L, receipt.get("replayed"));
    assertEquals(1L, till.commit("R-1", CARD, basket, "maria").get("replayed"));

    // Line 1 counts from 0: the drinks.
    List<?> linePoints = (List<?>) receipt.get("linePoints");
    Map<String, Object> back =
        till.refundLines("RET-1", "R-1", new long[] {1}, new long[] {1}, "maria");
    assertEquals(-(Long) linePoints.get(1), back.get("earned"));

    Map<String, Object> balance = till.balance(CARD);
    long sum = 0;
    for (Map<String, Object> e : till.history(CARD, 50)) sum += (Long) e.get("points");
    assertEquals(balance.get("balance"), sum);

    long[] day = till.storeDay(now.get());
    Map<String, Object> report = till.report(day[0], day[1], 1, 1);
    @SuppressWarnings("unchecked")
    Map<String, Object> total = ((List<Map<String, Object>>) report.get("total")).get(0);
    assertEquals(1L, total.get("memberSales"));
    assertTrue(((String) report.get("text")).length() > 0);
  }

  @Test
  @SuppressWarnings("unchecked")
  public void anExchangeReturnsAndBuysInOneOperation() {
    till.enroll("E-1", CARD, "Ada", null);  // 50 points
    // Line 0: tea at 20.00, line 1: a mug at 30.00; a point per euro.
    till.commit("R-1", CARD, new Basket("EUR").line("TEA", null, 1, 2000)
        .line("MUG", null, 1, 3000), "maria");
    Basket cup = new Basket("EUR").line("CUP", null, 1, 1500);
    Map<String, Object> done =
        till.exchange("X-1", "R-1", new long[] {1}, new long[] {1}, CARD, cup, "maria");
    assertEquals("X-1", done.get("opId"));
    assertEquals(0L, done.get("replayed"));
    Map<String, Object> returned = (Map<String, Object>) done.get("returned");
    Map<String, Object> bought = (Map<String, Object>) done.get("bought");
    assertEquals(-30L, returned.get("earned"));
    assertEquals(15L, bought.get("earned"));
    assertEquals(85L, till.balance(CARD).get("balance"));
    Map<String, Object> again =
        till.exchange("X-1", "R-1", new long[] {1}, new long[] {1}, CARD, cup, "maria");
    assertEquals(1L, again.get("replayed"));
    assertEquals(85L, till.balance(CARD).get("balance"));
    // The cup comes back by the exchange's id.
    assertEquals(-15L, till.refundRest("RET-1", "X-1", null).get("earned"));
    LoyaltyException none = assertThrows(LoyaltyException.class,
        () -> till.exchange("X-2", "R-1", new long[0], new long[0], CARD, cup, null));
    assertEquals(Abi.INVALID_ARGUMENT, none.status());
    assertEquals(70L, till.balance(CARD).get("balance"));
  }

  @Test
  public void refusalsCarryTheirStatusAndMessage() {
    till.enroll("E-1", CARD, "Ada", null);
    // 50 points after sign-up, the reward costs 80.
    Basket tooMuch = new Basket("EUR").line("A", null, 1, 2000).reward("ten-off");
    LoyaltyException e =
        assertThrows(LoyaltyException.class, () -> till.commit("R-2", CARD, tooMuch, null));
    assertEquals(Abi.INSUFFICIENT_POINTS, e.status());
    assertEquals("insufficient_points", e.name());
    LoyaltyException unknown =
        assertThrows(LoyaltyException.class, () -> till.lookup("9900 0000 0059"));
    assertEquals(Abi.UNKNOWN_CARD, unknown.status());
    LoyaltyException currency = assertThrows(LoyaltyException.class,
        () -> till.quote(CARD, new Basket("USD").line("A", null, 1, 100)));
    assertEquals(Abi.CURRENCY_MISMATCH, currency.status());
  }

  @Test
  public void aQuoteListsTheRewardsTheCardCannotTakeAndTheSaleRefusesThem() {
    till.enroll("E-1", CARD, "Ada", null);
    // 50 points after sign-up: five-off (50) fits, ten-off (80) does not.
    Basket basket = new Basket("EUR").line("A", null, 1, 3000)
        .reward("ten-off").reward("gold-lounge").reward("five-off");
    Map<String, Object> quote = till.quote(CARD, basket);
    assertEquals(500L, quote.get("discountMinor"));  // five-off only
    assertEquals(50L, quote.get("pointsToSpend"));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> refused = (List<Map<String, Object>>) quote.get("refusedRewards");
    assertEquals(2, refused.size());
    assertEquals("ten-off", refused.get(0).get("id"));
    assertEquals((long) Abi.INSUFFICIENT_POINTS, refused.get(0).get("status"));
    assertEquals("needs 80 points, 50 points available", refused.get(0).get("reason"));
    assertEquals("gold-lounge", refused.get(1).get("id"));
    assertEquals((long) Abi.REWARD_REFUSED, refused.get(1).get("status"));
    assertEquals("not in the program's catalog", refused.get(1).get("reason"));
    LoyaltyException e =
        assertThrows(LoyaltyException.class, () -> till.commit("R-1", CARD, basket, null));
    assertEquals(Abi.INSUFFICIENT_POINTS, e.status());  // the first one asked for
    Basket noLounge = new Basket("EUR").line("A", null, 1, 3000).reward("gold-lounge");
    LoyaltyException lounge =
        assertThrows(LoyaltyException.class, () -> till.commit("R-2", CARD, noLounge, null));
    assertEquals(Abi.REWARD_REFUSED, lounge.status());
    assertEquals("reward_refused", lounge.name());
    assertTrue(lounge.getMessage().contains("'gold-lounge' is not in the program's catalog"));
  }

  @Test
  public void aSyncKeepsItsTerminalAndClosesInAnyOrder() {
    till.enroll("E-1", CARD, "Ada", null);
    // Nothing listens on port 1.
    Sync sync = new Sync(till, "https://127.0.0.1:1", null, null, null);
    sync.start();
    till.close();
    Map<String, Object> status = sync.status();
    // The program in force, the enrolment, the sign-up bonus.
    assertEquals(3L, status.get("headSeq"));
    assertEquals(3L, status.get("backlog"));
    LoyaltyException offline = assertThrows(LoyaltyException.class, sync::now);
    assertEquals(Abi.NETWORK_ERROR, offline.status());
    sync.close();
    sync.close();
    assertThrows(IllegalStateException.class, sync::status);
    assertThrows(IllegalStateException.class, () -> till.lookup(CARD));
  }
}
