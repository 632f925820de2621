package org.libloyalty;

/**
 * A call the library refused: {@link #status()} is the loyalty_status (compare with the
 * {@code Abi} constants, e.g. {@code Abi.INSUFFICIENT_POINTS}), {@link #name()} its stable
 * name ("insufficient_points"), the message loyalty_last_error()'s text naming the field.
 */
public class LoyaltyException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String name;

  public LoyaltyException(int status, String name, String message) {
    super(name + ": " + message);
    this.status = status;
    this.name = name;
  }

  public int status() {
    return status;
  }

  public String name() {
    return name;
  }
}
