package org.voxelwise.imaging.simulate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BreathingSignalTest {
  @Test
  void irregularSignalIsDeterministicAndVariesInPeriodAndAmplitude() {
    BreathingSignal a = BreathingSignal.irregular(5, 60);
    BreathingSignal b = BreathingSignal.irregular(5, 60);
    assertArrayEquals(a.periodsS(), b.periodsS());
    assertArrayEquals(a.amplitudesMm(), b.amplitudesMm());
    for (double t = 0; t < 60; t += 0.37) {
      assertEquals(a.displacementMm(t), b.displacementMm(t));
    }
    assertFalse(Arrays.equals(a.periodsS(), BreathingSignal.irregular(6, 60).periodsS()));

    double[] periods = a.periodsS();
    double[] amplitudes = a.amplitudesMm();
    assertTrue(a.cycleCount() >= 12 && a.cycleCount() <= 21, "cycles: " + a.cycleCount());
    for (int c = 0; c < periods.length; c++) {
      assertTrue(periods[c] >= BreathingSignal.MIN_PERIOD_S && periods[c] <= 5, "period");
      assertTrue(amplitudes[c] >= 10 && amplitudes[c] <= 20, "amplitude");
    }
    double[] sortedPeriods = periods.clone();
    Arrays.sort(sortedPeriods);
    assertTrue(sortedPeriods[periods.length - 1] - sortedPeriods[0] > 0.5, "periods vary");
    double[] sortedAmplitudes = amplitudes.clone();
    Arrays.sort(sortedAmplitudes);
    assertTrue(
        sortedAmplitudes[amplitudes.length - 1] - sortedAmplitudes[0] > 2, "amplitudes vary");
  }

  @Test
  void regularSignalPeaksMidCycleAndPhaseZeroIsEndInhale() {
    BreathingSignal s = BreathingSignal.regular(4, 15, 0, 20);
    assertEquals(0, s.displacementMm(0), 1e-12);
    assertEquals(15, s.displacementMm(2), 1e-12);
    assertEquals(0, s.displacementMm(4), 1e-12);
    assertEquals(0, s.phase(2), 1e-12);
    assertEquals(0.5, s.phase(4), 1e-12);
    assertEquals(0, s.phaseBin(2.01, 10));
    assertEquals(9, s.phaseBin(1.99, 10));
    assertEquals(5, s.phaseBin(0, 10));
    assertArrayEquals(new double[] {4, 4, 4, 4, 4, 4}, s.periodsS(), 1e-12);
    double max = 0;
    for (double t = 0; t < 19.98; t += 0.01) {
      double d = s.displacementMm(t);
      assertTrue(d >= 0 && d <= 15 + 1e-9);
      max = Math.max(max, Math.abs(d - s.displacementMm(t + 0.01)));
    }
    assertTrue(max < 0.5, "continuous: largest step " + max + " mm in 10 ms");
    assertEquals(0, BreathingSignal.regular(4, 0, 0.3, 10).displacementMm(7));
  }

  @Test
  void badArgumentsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> BreathingSignal.irregular(1, 0));
    assertThrows(IllegalArgumentException.class, () -> BreathingSignal.regular(0, 10, 0, 10));
    assertThrows(IllegalArgumentException.class, () -> BreathingSignal.regular(4, -1, 0, 10));
    assertThrows(IllegalArgumentException.class, () -> BreathingSignal.regular(4, 10, 1, 10));
    BreathingSignal s = BreathingSignal.regular(4, 10, 0, 10);
    assertThrows(IllegalArgumentException.class, () -> s.displacementMm(-1));
    assertThrows(IllegalArgumentException.class, () -> s.phaseBin(1, 0));
  }
}
