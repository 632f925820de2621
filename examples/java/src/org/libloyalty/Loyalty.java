package org.libloyalty;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * libloyalty.so through JNA: the library, error checking and results as plain maps.
 *
 * <p>The library is {@code $LOYALTY_LIBRARY} (or the system property {@code loyalty.library}),
 * else "loyalty" on JNA's search path. Loading checks it is the version of the header the
 * binding was generated from.
 */
public final class Loyalty {
  private Loyalty() {}

  private static volatile LoyaltyNative lib;

  /** The loaded library (loads it on first use). */
  public static LoyaltyNative lib() {
    LoyaltyNative l = lib;
    if (l == null) {
      synchronized (Loyalty.class) {
        if (lib == null) {
          String path = System.getProperty("loyalty.library", System.getenv("LOYALTY_LIBRARY"));
          LoyaltyNative loaded = Native.load(path != null ? path : "loyalty", LoyaltyNative.class,
              Map.of(Library.OPTION_STRING_ENCODING, "UTF-8"));
          if (loaded.loyalty_version_number() != Abi.VERSION_NUMBER) {
            throw new IllegalStateException("libloyalty " + loaded.loyalty_version()
                + " is not the version of the loyalty.h this binding was generated from");
          }
          lib = loaded;
        }
        l = lib;
      }
    }
    return l;
  }

  public static String version() {
    return lib().loyalty_version();
  }

  public static String statusName(int status) {
    return lib().loyalty_status_name(status);
  }

  /** Throws the LoyaltyException of a status that is not LOYALTY_OK. */
  static void check(int status) {
    if (status != Abi.OK) {
      throw new LoyaltyException(status, statusName(status), lib().loyalty_last_error());
    }
  }

  /** Reads a result handed back through {@code out} into a map, then frees it. */
  static Map<String, Object> take(int status, PointerByReference out) {
    check(status);
    Pointer r = out.getValue();
    try {
      return toMap(r);
    } finally {
      lib().loyalty_result_free(r);
    }
  }

  /** Every key of the result's kind, as its field name: integers as Long, strings, lists. */
  static Map<String, Object> toMap(Pointer r) {
    LoyaltyNative l = lib();
    IntByReference kind = new IntByReference();
    check(l.loyalty_result_kind_of(r, kind));
    Map<String, Object> out = new LinkedHashMap<>();
    LongByReference i = new LongByReference();
    PointerByReference s = new PointerByReference();
    for (Map.Entry<Integer, String> field : Abi.FIELDS.entrySet()) {
      int key = field.getKey();
      if (key / 100 != kind.getValue()) continue;
      if (l.loyalty_result_int(r, key, i) == Abi.OK) {
        out.put(field.getValue(), i.getValue());
      } else if (l.loyalty_result_string(r, key, s) == Abi.OK) {
        out.put(field.getValue(), s.getValue().getString(0, "UTF-8"));
      } else {
        LongByReference n = new LongByReference();
        if (l.loyalty_result_count(r, key, n) != Abi.OK) continue;
        List<Object> items = new ArrayList<>();
        for (long index = 0; index < n.getValue(); ++index) {
          if (l.loyalty_result_int_at(r, key, index, i) == Abi.OK) {
            items.add(i.getValue());
          } else if (l.loyalty_result_string_at(r, key, index, s) == Abi.OK) {
            items.add(s.getValue().getString(0, "UTF-8"));
          } else {
            PointerByReference item = new PointerByReference();
            check(l.loyalty_result_item_at(r, key, index, item));
            items.add(toMap(item.getValue()));  // borrowed: freed with r
          }
        }
        out.put(field.getValue(), items);
      }
    }
    return out;
  }
}
