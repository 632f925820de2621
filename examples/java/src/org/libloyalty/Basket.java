package org.libloyalty;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.util.ArrayList;
import java.util.List;

/**
 * What the POS rang up and what the sale takes. Plain Java: each quote or commit builds the
 * native basket and frees it again, so nothing native outlives the call.
 */
public final class Basket {
  private record Line(String sku, String category, long quantity, long amountMinor) {}

  private final String currency;
  private final List<Line> lines = new ArrayList<>();
  private final List<String> rewards = new ArrayList<>();
  private long redeemPoints;

  public Basket(String currency) {
    this.currency = currency;
  }

  /** Appends a line (numbered from 0 in the order added); amountMinor is what it costs. */
  public Basket line(String sku, String category, long quantity, long amountMinor) {
    lines.add(new Line(sku, category, quantity, amountMinor));
    return this;
  }

  /** A catalog reward the sale takes, applied in the order added. */
  public Basket reward(String rewardId) {
    rewards.add(rewardId);
    return this;
  }

  /** Points the customer pays with (used by commit). */
  public Basket payWithPoints(long points) {
    redeemPoints = points;
    return this;
  }

  /** A native basket; the caller frees it with loyalty_basket_free. */
  Pointer toNative() {
    LoyaltyNative l = Loyalty.lib();
    PointerByReference out = new PointerByReference();
    Loyalty.check(l.loyalty_basket_new(currency, out));
    Pointer b = out.getValue();
    try {
      for (Line line : lines) {
        Loyalty.check(l.loyalty_basket_add_line(b, line.sku(), line.category(), line.quantity(),
            line.amountMinor()));
      }
      for (String reward : rewards) Loyalty.check(l.loyalty_basket_add_reward(b, reward));
      if (redeemPoints != 0) Loyalty.check(l.loyalty_basket_set_redeem_points(b, redeemPoints));
      return b;
    } catch (RuntimeException e) {
      l.loyalty_basket_free(b);
      throw e;
    }
  }
}
