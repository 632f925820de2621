package org.libloyalty;

import com.sun.jna.Pointer;
import java.lang.ref.Cleaner;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A native handle: calls hold its read lock, close() takes the write lock (so it waits for
 * calls in other threads) and frees it once; the Cleaner frees it when the owner is
 * collected without close(). A closed handle throws IllegalStateException.
 */
final class Handle implements Runnable {
  private static final Cleaner CLEANER = Cleaner.create();

  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Consumer<Pointer> free;
  private final String what;
  private Pointer pointer;

  private Handle(Pointer pointer, Consumer<Pointer> free, String what) {
    this.pointer = pointer;
    this.free = free;
    this.what = what;
  }

  /** A handle freed by `free` at close() or when `owner` is collected. */
  static Handle of(Object owner, Pointer pointer, Consumer<Pointer> free, String what) {
    Handle h = new Handle(pointer, free, what);
    CLEANER.register(owner, h);
    return h;
  }

  <T> T use(Function<Pointer, T> call) {
    lock.readLock().lock();
    try {
      if (pointer == null) throw new IllegalStateException(what + ": closed");
      return call.apply(pointer);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Frees the handle (once), after calls running in other threads return. */
  @Override
  public void run() {
    lock.writeLock().lock();
    try {
      if (pointer != null) {
        free.accept(pointer);
        pointer = null;
      }
    } finally {
      lock.writeLock().unlock();
    }
  }
}
