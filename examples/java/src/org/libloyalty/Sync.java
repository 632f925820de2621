package org.libloyalty;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.util.Map;

/**
 * Sync with the chain's central server (loyalty_sync_*). Holds its Terminal: close the two in
 * any order.
 */
public final class Sync implements AutoCloseable {
  private final Terminal terminal;  // keeps the terminal's callbacks alive
  private final Handle handle;

  /**
   * caPem: the PEM of the CA that signs the server's certificate (null: the system's);
   * receiptKeyPem, programKeyPem: the server's Ed25519 keys (null: not checked).
   */
  public Sync(Terminal terminal, String serverUrl, String caPem, String receiptKeyPem,
      String programKeyPem) {
    this.terminal = terminal;
    LoyaltyNative l = Loyalty.lib();
    PointerByReference out = new PointerByReference();
    Loyalty.check(l.loyalty_sync_options_new(out));
    Pointer options = out.getValue();
    try {
      Loyalty.check(l.loyalty_sync_options_set_server_url(options, serverUrl));
      if (caPem != null) Loyalty.check(l.loyalty_sync_options_set_ca(options, null, caPem));
      if (receiptKeyPem != null || programKeyPem != null) {
        Loyalty.check(l.loyalty_sync_options_set_trusted_keys(options, receiptKeyPem,
            programKeyPem));
      }
      PointerByReference sync = new PointerByReference();
      terminal.handle().use(t -> {
        Loyalty.check(l.loyalty_sync_create(t, options, sync));
        return null;
      });
      handle = Handle.of(this, sync.getValue(), p -> Loyalty.lib().loyalty_sync_free(p), "sync");
    } finally {
      l.loyalty_sync_options_free(options);
    }
  }

  public Terminal terminal() {
    return terminal;
  }

  /** Pushes everything and pulls every page now. */
  public void now() {
    handle.use(s -> {
      Loyalty.check(Loyalty.lib().loyalty_sync_now(s));
      return null;
    });
  }

  /** Rounds on the library's own thread until stop() or close(). */
  public void start() {
    handle.use(s -> {
      Loyalty.check(Loyalty.lib().loyalty_sync_start(s));
      return null;
    });
  }

  public void stop() {
    handle.use(s -> {
      Loyalty.check(Loyalty.lib().loyalty_sync_stop(s));
      return null;
    });
  }

  /** headSeq, ackedSeq, backlog, lastErrorCode, lastError, isHalted... */
  public Map<String, Object> status() {
    return handle.use(s -> {
      PointerByReference out = new PointerByReference();
      return Loyalty.take(Loyalty.lib().loyalty_sync_status(s, out), out);
    });
  }

  @Override
  public void close() {
    handle.run();
  }
}
