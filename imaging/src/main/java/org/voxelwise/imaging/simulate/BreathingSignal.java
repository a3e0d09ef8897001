package org.voxelwise.imaging.simulate;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A respiratory signal: the inferior displacement of the diaphragm in mm over time, made of
 * breathing cycles that each have their own period and amplitude.
 *
 * <p>Contract: cycle {@code c} runs from {@code start(c)} to {@code start(c + 1)}; within it, at
 * the fraction {@code f} ∈ [0, 1) of the cycle, the displacement is {@code amplitude(c) ·
 * sin⁴(π·f)}: 0 at end-exhale (the start of a cycle), the cycle's amplitude at end-inhale (its
 * middle), with the long flat end-exhale of real breathing (the Lujan model with n = 2). The signal
 * is continuous and ≥ 0. The respiratory phase is {@code (f + 0.5) mod 1}: 0 at end-inhale (the
 * convention of 4D CT, where phase 0 % is peak inhale) and 0.5 at end-exhale; phase bins are the
 * {@code n} equal intervals of that phase (peak-to-peak phase sorting). Cycles cover at least [0,
 * duration]; the first one may start before time 0. Instances are immutable; the same arguments
 * give the same signal.
 */
public final class BreathingSignal {
  /** Shortest period of an irregular signal, in seconds. */
  public static final double MIN_PERIOD_S = 3;

  /** Longest period of an irregular signal, in seconds. */
  public static final double MAX_PERIOD_S = 5;

  /** Smallest amplitude of an irregular signal, in mm. */
  public static final double MIN_AMPLITUDE_MM = 10;

  /** Largest amplitude of an irregular signal, in mm. */
  public static final double MAX_AMPLITUDE_MM = 20;

  private final double[] startsS;
  private final double[] amplitudesMm;
  private final double durationS;

  private BreathingSignal(double[] startsS, double[] amplitudesMm, double durationS) {
    this.startsS = startsS;
    this.amplitudesMm = amplitudesMm;
    this.durationS = durationS;
  }

  /**
   * An irregular signal: each cycle's period uniform in [{@link #MIN_PERIOD_S}, {@link
   * #MAX_PERIOD_S}] and amplitude uniform in [{@link #MIN_AMPLITUDE_MM}, {@link
   * #MAX_AMPLITUDE_MM}], and time 0 at a random point of the first cycle; all drawn from {@code
   * seed}.
   *
   * @param durationS how long the signal must last, &gt; 0
   */
  public static BreathingSignal irregular(long seed, double durationS) {
    checkDuration(durationS);
    SplittableRandom random = new SplittableRandom(seed);
    List<double[]> cycles = new ArrayList<>();
    double firstPeriod = random.nextDouble(MIN_PERIOD_S, MAX_PERIOD_S);
    double t = -random.nextDouble() * firstPeriod;
    double period = firstPeriod;
    while (t <= durationS) {
      cycles.add(new double[] {t, random.nextDouble(MIN_AMPLITUDE_MM, MAX_AMPLITUDE_MM)});
      t += period;
      period = random.nextDouble(MIN_PERIOD_S, MAX_PERIOD_S);
    }
    return fromCycles(cycles, t, durationS);
  }

  /**
   * A regular signal: every cycle {@code periodS} long with amplitude {@code amplitudeMm}, time 0
   * at the fraction {@code startFraction} of a cycle (0: end-exhale). Amplitude 0 gives a patient
   * who does not breathe.
   *
   * @throws IllegalArgumentException for a period or duration not &gt; 0, a negative amplitude or a
   *     start fraction outside [0, 1)
   */
  public static BreathingSignal regular(
      double periodS, double amplitudeMm, double startFraction, double durationS) {
    checkDuration(durationS);
    if (!(periodS > 0) || !Double.isFinite(periodS)) {
      throw new IllegalArgumentException("period must be > 0 s: " + periodS);
    }
    if (!(amplitudeMm >= 0) || !Double.isFinite(amplitudeMm)) {
      throw new IllegalArgumentException("amplitude must be ≥ 0 mm: " + amplitudeMm);
    }
    if (!(startFraction >= 0 && startFraction < 1)) {
      throw new IllegalArgumentException("start fraction must be in [0, 1): " + startFraction);
    }
    List<double[]> cycles = new ArrayList<>();
    double t = -startFraction * periodS;
    while (t <= durationS) {
      cycles.add(new double[] {t, amplitudeMm});
      t += periodS;
    }
    return fromCycles(cycles, t, durationS);
  }

  private static BreathingSignal fromCycles(List<double[]> cycles, double end, double durationS) {
    int n = cycles.size();
    double[] starts = new double[n + 1];
    double[] amplitudes = new double[n];
    for (int c = 0; c < n; c++) {
      starts[c] = cycles.get(c)[0];
      amplitudes[c] = cycles.get(c)[1];
    }
    starts[n] = end;
    return new BreathingSignal(starts, amplitudes, durationS);
  }

  private static void checkDuration(double durationS) {
    if (!(durationS > 0) || !Double.isFinite(durationS)) {
      throw new IllegalArgumentException("duration must be > 0 s: " + durationS);
    }
  }

  /** How long the signal was made to last, in seconds. */
  public double durationS() {
    return durationS;
  }

  /** Number of cycles (whole or part) that cover [0, duration]. */
  public int cycleCount() {
    return amplitudesMm.length;
  }

  /** The period of each cycle in seconds, in time order (a copy). */
  public double[] periodsS() {
    double[] p = new double[amplitudesMm.length];
    for (int c = 0; c < p.length; c++) {
      p[c] = startsS[c + 1] - startsS[c];
    }
    return p;
  }

  /** The amplitude of each cycle in mm, in time order (a copy). */
  public double[] amplitudesMm() {
    return amplitudesMm.clone();
  }

  /**
   * The inferior displacement of the diaphragm in mm at time {@code tS}, ≥ 0.
   *
   * @throws IllegalArgumentException when {@code tS} lies outside the cycles
   */
  public double displacementMm(double tS) {
    int c = cycleAt(tS);
    double s = Math.sin(Math.PI * fraction(c, tS));
    return amplitudesMm[c] * s * s * s * s;
  }

  /**
   * The respiratory phase at time {@code tS}, in [0, 1): 0 at end-inhale, 0.5 at end-exhale.
   *
   * @throws IllegalArgumentException when {@code tS} lies outside the cycles
   */
  public double phase(double tS) {
    double p = fraction(cycleAt(tS), tS) + 0.5;
    return p >= 1 ? p - 1 : p;
  }

  /**
   * The phase bin of time {@code tS} among {@code bins} equal bins: {@code floor(phase · bins)}, 0
   * for the bin starting at end-inhale.
   *
   * @throws IllegalArgumentException for fewer than 1 bin, or a time outside the cycles
   */
  public int phaseBin(double tS, int bins) {
    if (bins < 1) {
      throw new IllegalArgumentException("need at least one phase bin: " + bins);
    }
    return Math.min(bins - 1, (int) Math.floor(phase(tS) * bins));
  }

  private int cycleAt(double tS) {
    if (!(tS >= startsS[0] && tS < startsS[startsS.length - 1])) {
      throw new IllegalArgumentException(
          "time " + tS + " s lies outside the signal's cycles (" + startsS[0] + " s on)");
    }
    int lo = 0;
    int hi = amplitudesMm.length - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (startsS[mid] <= tS) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  private double fraction(int c, double tS) {
    return (tS - startsS[c]) / (startsS[c + 1] - startsS[c]);
  }
}
