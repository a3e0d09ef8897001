package org.voxelwise.app.viewer.results;

import java.time.Duration;
import java.util.Optional;

/**
 * Estimates the time left of a long operation from its progress: the rate since the first progress
 * report, extrapolated linearly. No estimate before 2 % is done or 1 s has passed since the first
 * report (too early to say), nor after the end.
 */
public final class TimeEstimate {
  private static final double MIN_FRACTION = 0.02;
  private static final long MIN_ELAPSED_NANOS = 1_000_000_000L;

  private long startNanos = -1;
  private double startFraction;

  /**
   * Records progress {@code fraction} (0..1) reported at {@code nanos} ({@link System#nanoTime()})
   * and returns the estimated time left.
   */
  public Optional<Duration> update(double fraction, long nanos) {
    if (startNanos < 0) {
      startNanos = nanos;
      startFraction = fraction;
      return Optional.empty();
    }
    long elapsed = nanos - startNanos;
    double done = fraction - startFraction;
    if (fraction < MIN_FRACTION || fraction >= 1 || elapsed < MIN_ELAPSED_NANOS || done <= 0) {
      return Optional.empty();
    }
    double leftNanos = elapsed * (1 - fraction) / done;
    return Optional.of(Duration.ofNanos((long) leftNanos));
  }

  /** A short text for a duration: "about 5 s", "about 2 min 10 s". */
  public static String describe(Duration left) {
    long s = Math.max(1, Math.round(left.toMillis() / 1000.0));
    return s < 60 ? "about " + s + " s" : "about " + s / 60 + " min " + s % 60 + " s";
  }
}
