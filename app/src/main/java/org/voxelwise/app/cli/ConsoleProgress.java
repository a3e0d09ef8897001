package org.voxelwise.app.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.voxelwise.imaging.progress.ProgressListener;

/**
 * Progress on stderr for the command line: one line at most every half second (and at the end of
 * each step), so that logs of unattended runs stay readable. Ctrl-C cancels: the JVM's shutdown
 * starts, this listener reports cancelled, and the command gets up to a few seconds to stop cleanly
 * (outputs are written to temporary files and moved into place, so nothing half-written is left).
 */
final class ConsoleProgress implements ProgressListener, AutoCloseable {
  private static final long INTERVAL_NANOS = 500_000_000L;
  private final PrintWriter err;
  private volatile boolean cancelled;
  private long lastPrint;
  private String lastMessage = "";
  private Thread cancelHook;

  private ConsoleProgress(PrintWriter err) {
    this.err = err;
  }

  /**
   * A listener printing to {@code err} (the command's standard error), cancelled by Ctrl-C until it
   * is closed. Use it in a try-with-resources around the command's work, on the thread doing the
   * work.
   */
  static ConsoleProgress start(PrintWriter err) {
    ConsoleProgress p = new ConsoleProgress(err);
    Thread worker = Thread.currentThread();
    p.cancelHook =
        new Thread(
            () -> {
              if (worker.isAlive()) {
                p.cancelled = true;
                try {
                  worker.join(3000);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
            },
            "voxelwise-cancel");
    Runtime.getRuntime().addShutdownHook(p.cancelHook);
    return p;
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(cancelHook);
    } catch (IllegalStateException shuttingDown) {
      // the JVM is already stopping: the hook runs anyway
    }
  }

  @Override
  public synchronized void update(double fraction, String message) {
    long now = System.nanoTime();
    boolean stepEnd = fraction >= 1 && !message.equals(lastMessage);
    if (stepEnd || now - lastPrint > INTERVAL_NANOS) {
      err.printf(Locale.ROOT, "%s (%d%%)%n", message, Math.round(fraction * 100));
      err.flush();
      lastPrint = now;
      lastMessage = message;
    }
  }

  @Override
  public boolean isCancelled() {
    return cancelled;
  }
}
