package org.voxelwise.imaging.simulate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.voxelwise.imaging.progress.ProgressListener;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.Volume;

/**
 * The physics of the simulated 4D CBCT: streaks from sparse phases, rotating from phase to phase.
 */
class Cbct4dSimulatorTest {
  /** 128×128×4 voxels (3 × 3 × 40 mm), 600 projections in 60 s, irregular breathing, no noise. */
  private static final Cbct4dSimulator.Parameters SMALL =
      Cbct4dSimulator.Parameters.small(7).withPhotonsPerRay(0);

  /** Projections per second of the scans in {@link #streakEnergyRisesAsProjectionsPerPhaseFall}. */
  private static final double FRAME_RATE = 10;

  /** Voxels well inside the body of every phantom: |x/150|² + |y/100|² ≤ 1 (mm). */
  private static boolean[] bodyMask(Geometry g) {
    boolean[] mask = new boolean[Math.toIntExact(g.voxelCount())];
    for (int k = 0; k < g.sizeZ(); k++) {
      for (int j = 0; j < g.sizeY(); j++) {
        for (int i = 0; i < g.sizeX(); i++) {
          double[] p = g.voxelToPatient(i, j, k);
          double ex = p[0] / 150;
          double ey = p[1] / 100;
          mask[i + g.sizeX() * (j + g.sizeY() * k)] = ex * ex + ey * ey <= 1;
        }
      }
    }
    return mask;
  }

  private static double[] difference(Volume a, Volume b, boolean[] mask) {
    double[] d = new double[mask.length];
    for (int i = 0; i < mask.length; i++) {
      d[i] = mask[i] ? a.valueAt(i) - b.valueAt(i) : 0;
    }
    return d;
  }

  private static double std(double[] values, boolean[] mask) {
    double sum = 0;
    double sum2 = 0;
    long n = 0;
    for (int i = 0; i < values.length; i++) {
      if (mask[i]) {
        sum += values[i];
        sum2 += values[i] * values[i];
        n++;
      }
    }
    double mean = sum / n;
    return Math.sqrt(sum2 / n - mean * mean);
  }

  private static double correlation(double[] a, double[] b, boolean[] mask) {
    double ma = 0;
    double mb = 0;
    long n = 0;
    for (int i = 0; i < a.length; i++) {
      if (mask[i]) {
        ma += a[i];
        mb += b[i];
        n++;
      }
    }
    ma /= n;
    mb /= n;
    double ab = 0;
    double aa = 0;
    double bb = 0;
    for (int i = 0; i < a.length; i++) {
      if (mask[i]) {
        ab += (a[i] - ma) * (b[i] - mb);
        aa += (a[i] - ma) * (a[i] - ma);
        bb += (b[i] - mb) * (b[i] - mb);
      }
    }
    return ab / Math.sqrt(aa * bb);
  }

  private static double[] values(Volume v, boolean[] mask) {
    double[] d = new double[mask.length];
    for (int i = 0; i < mask.length; i++) {
      d[i] = v.valueAt(i);
    }
    return d;
  }

  /** Mean over phases of the standard deviation of (phase − truth) in the body. */
  private static double streakEnergy(Cbct4dSimulator.Result r, boolean[] mask) {
    double sum = 0;
    for (int p = 0; p < r.phases().phaseCount(); p++) {
      sum += std(difference(r.phases().phases().get(p), r.truth().phases().get(p), mask), mask);
    }
    return sum / r.phases().phaseCount();
  }

  /**
   * Scans of 120, 60 and 30 s at a fixed frame rate: fewer projections per phase, in fewer
   * breathing cycles, so in fewer and wider-spaced clusters of angles.
   */
  @Test
  void streakEnergyRisesAsProjectionsPerPhaseFall() {
    boolean[] mask = bodyMask(SMALL.grid());
    double previous = 0;
    for (int projections : new int[] {1200, 600, 300}) {
      Cbct4dSimulator.Parameters p =
          SMALL.withProjections(projections).withRotationTimeS(projections / FRAME_RATE);
      Cbct4dSimulator.Result r = Cbct4dSimulator.simulate(p, ProgressListener.NONE);
      double energy = streakEnergy(r, mask);
      System.out.printf(
          "%d projections in %.0f s (%s per phase): streak energy %.1f HU%n",
          projections, p.rotationTimeS(), Arrays.toString(r.projectionsPerPhase()), energy);
      assertTrue(energy > previous * 1.25, "streak energy rises: " + energy + " after " + previous);
      previous = energy;
    }
  }

  @Test
  void streaksRotateBetweenNeighbouringPhasesWhileAnatomyStaysCorrelated() {
    Cbct4dSimulator.Result r = Cbct4dSimulator.simulate(SMALL, ProgressListener.NONE);
    boolean[] mask = bodyMask(SMALL.grid());
    int phases = r.phases().phaseCount();
    for (int p = 0; p < phases; p++) {
      int q = (p + 1) % phases;
      Volume phaseP = r.phases().phases().get(p);
      Volume phaseQ = r.phases().phases().get(q);
      Volume truthP = r.truth().phases().get(p);
      Volume truthQ = r.truth().phases().get(q);
      double[] errorP = difference(phaseP, truthP, mask);
      double[] errorQ = difference(phaseQ, truthQ, mask);
      double streaks = correlation(errorP, errorQ, mask);
      double streaksVsPrior =
          correlation(
              difference(phaseP, r.prior(), mask), difference(phaseQ, r.prior(), mask), mask);
      double anatomy = correlation(values(truthP, mask), values(truthQ, mask), mask);
      double phaseError = std(errorP, mask);
      double prior = std(difference(r.prior(), truthP, mask), mask);
      System.out.printf(
          "phases %d/%d: error correlation %.3f (vs prior %.3f), truth correlation %.4f;"
              + " phase %d error %.1f HU, prior error %.1f HU%n",
          p, q, streaks, streaksVsPrior, anatomy, p, phaseError, prior);
      assertTrue(streaks < 0.7, "streak patterns of neighbouring phases differ: " + streaks);
      assertTrue(anatomy > 0.9, "anatomy of neighbouring phases correlates: " + anatomy);
      assertTrue(prior < phaseError, "the prior is closer to the truth than phase " + p);
    }
  }

  @Test
  void sameParametersGiveTheSameCaseAndAnotherSeedAnother() {
    Cbct4dSimulator.Parameters p = SMALL.withSize(32, 32, 2).withPhotonsPerRay(1e5);
    Cbct4dSimulator.Result a = Cbct4dSimulator.simulate(p, ProgressListener.NONE);
    Cbct4dSimulator.Result b = Cbct4dSimulator.simulate(p, ProgressListener.NONE);
    for (int phase = 0; phase < 10; phase++) {
      assertArrayEquals(
          a.phases().phases().get(phase).shortValues(),
          b.phases().phases().get(phase).shortValues());
      assertArrayEquals(
          a.truth().phases().get(phase).shortValues(), b.truth().phases().get(phase).shortValues());
    }
    assertArrayEquals(a.prior().shortValues(), b.prior().shortValues());
    assertArrayEquals(a.projectionsPerPhase(), b.projectionsPerPhase());
    assertEquals(p.projections(), Arrays.stream(a.projectionsPerPhase()).sum());
    Cbct4dSimulator.Result c = Cbct4dSimulator.simulate(p.withSeed(8), ProgressListener.NONE);
    assertFalse(Arrays.equals(a.prior().shortValues(), c.prior().shortValues()));
  }

  @Test
  void aSlabIsThoseSlicesOfTheWholeCase() {
    Cbct4dSimulator.Parameters p = SMALL.withSize(32, 32, 6).withProjections(120);
    Cbct4dSimulator.Result whole = Cbct4dSimulator.simulate(p, ProgressListener.NONE);
    Cbct4dSimulator.Result slab = Cbct4dSimulator.simulate(p, 2, 3, ProgressListener.NONE);
    Geometry g = slab.prior().geometry();
    assertEquals(3, g.sizeZ());
    assertTrue(g.sameGrid(subGrid(whole.prior().geometry(), 2, 3), 1e-9), g.toString());
    int plane = 32 * 32;
    for (int phase = 0; phase < 10; phase++) {
      short[] w = whole.phases().phases().get(phase).shortValues();
      short[] t = whole.truth().phases().get(phase).shortValues();
      assertArrayEquals(
          Arrays.copyOfRange(w, 2 * plane, 5 * plane),
          slab.phases().phases().get(phase).shortValues());
      assertArrayEquals(
          Arrays.copyOfRange(t, 2 * plane, 5 * plane),
          slab.truth().phases().get(phase).shortValues());
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> Cbct4dSimulator.simulate(p, 4, 3, ProgressListener.NONE));
  }

  private static Geometry subGrid(Geometry g, int first, int slices) {
    return new Geometry(
        g.sizeX(),
        g.sizeY(),
        slices,
        g.spacingMm(),
        g.voxelToPatient(0, 0, first),
        g.axisX(),
        g.axisY(),
        g.axisZ());
  }
}
