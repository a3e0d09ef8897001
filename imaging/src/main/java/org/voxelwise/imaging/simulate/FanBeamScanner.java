package org.voxelwise.imaging.simulate;

import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleFunction;
import java.util.stream.IntStream;
import org.voxelwise.imaging.progress.OperationCancelledException;
import org.voxelwise.imaging.progress.ProgressListener;
import org.voxelwise.imaging.volume.Geometry;

/**
 * Simulates a fan-beam scan of an {@link EllipsoidPhantom} that may change over time: each
 * projection sees the phantom at its own time, and each axial slice of the grid gets its own fan (a
 * stack of 2D fan-beam scans, as a multi-row scanner with a narrow cone).
 *
 * <p>Contract: the value of projection n, slice k, bin b is {@link #MU_WATER_PER_MM} times the
 * exact line integral of {@code 1 + HU/1000} along the ray from the source at gantry angle β_n
 * through bin b (see {@link FanBeamGeometry}), averaged over {@code zSubsamples} planes evenly
 * spread over the slice's thickness (at the centres of equal sub-slabs). With {@code photonsPerRay
 * > 0}, quantum noise is added: the detected count is drawn around {@code I₀·e^{−p}} with variance
 * {@code I₀·e^{−p}} (a Gaussian approximation of Poisson noise, at least 1 photon) and the value is
 * {@code −ln(count/I₀)}. The noise of projection n comes from {@code noiseSeed} and n alone, so the
 * result does not depend on the number of threads. Projections are computed in parallel.
 */
public final class FanBeamScanner {
  /** Linear attenuation coefficient of water in 1/mm (about 70 keV). */
  public static final double MU_WATER_PER_MM = 0.0192;

  private FanBeamScanner() {}

  /**
   * Scans {@code phantomAtTime} at the given angles and times.
   *
   * @param grid the slices to scan (axis-aligned); slice k is the plane at its z
   * @param anglesRad gantry angle of each projection
   * @param timesS time of each projection in seconds (passed to {@code phantomAtTime})
   * @param phantomAtTime the phantom at a time; called once per projection, from several threads
   * @param zSubsamples planes per slice, ≥ 1
   * @param photonsPerRay unattenuated photons per ray I₀ for quantum noise, or 0 for none
   * @param noiseSeed seed of the noise
   * @param progress receives the fraction of projections done; cancelling stops between them
   * @throws IllegalArgumentException for angles and times of different lengths, sub-samples below
   *     1, a negative photon count or a grid that is not axis-aligned
   * @throws OperationCancelledException when {@code progress} was cancelled
   */
  public static Sinogram scan(
      Geometry grid,
      FanBeamGeometry fan,
      double[] anglesRad,
      double[] timesS,
      DoubleFunction<EllipsoidPhantom> phantomAtTime,
      int zSubsamples,
      double photonsPerRay,
      long noiseSeed,
      ProgressListener progress) {
    Objects.requireNonNull(phantomAtTime, "phantomAtTime");
    Objects.requireNonNull(progress, "progress");
    EllipsoidPhantom.checkAxisAligned(grid);
    if (anglesRad.length != timesS.length) {
      throw new IllegalArgumentException(
          anglesRad.length + " angles but " + timesS.length + " times");
    }
    if (zSubsamples < 1) {
      throw new IllegalArgumentException("z sub-samples must be ≥ 1: " + zSubsamples);
    }
    if (!(photonsPerRay >= 0) || Double.isInfinite(photonsPerRay)) {
      throw new IllegalArgumentException("photons per ray must be ≥ 0: " + photonsPerRay);
    }
    int count = anglesRad.length;
    float[][] values = new float[count][];
    AtomicInteger done = new AtomicInteger();
    IntStream.range(0, count)
        .parallel()
        .forEach(
            n -> {
              progress.checkCancelled();
              values[n] =
                  project(
                      grid,
                      fan,
                      anglesRad[n],
                      phantomAtTime.apply(timesS[n]),
                      zSubsamples,
                      photonsPerRay,
                      noiseSeed + n * 0x9E3779B97F4A7C15L);
              progress.update((double) done.incrementAndGet() / count, "Projecting");
            });
    return new Sinogram(fan, grid, anglesRad, timesS, values);
  }

  private static float[] project(
      Geometry grid,
      FanBeamGeometry fan,
      double angleRad,
      EllipsoidPhantom phantom,
      int zSubsamples,
      double photonsPerRay,
      long noiseSeed) {
    int bins = fan.bins();
    int slices = grid.sizeZ();
    double d = fan.sourceToIsocentreMm();
    double cos = Math.cos(angleRad);
    double sin = Math.sin(angleRad);
    double sx = -d * cos;
    double sy = -d * sin;
    double[] vx = new double[bins];
    double[] vy = new double[bins];
    for (int b = 0; b < bins; b++) {
      double u = fan.binPositionMm(b);
      double dx = -u * sin - sx;
      double dy = u * cos - sy;
      double len = Math.hypot(dx, dy);
      vx[b] = dx / len;
      vy[b] = dy / len;
    }
    double[] origin = grid.originMm();
    double thickness = grid.spacingMm()[2];
    EllipsoidPhantom.Scratch scratch = new EllipsoidPhantom.Scratch(phantom.objects().size());
    float[] out = new float[slices * bins];
    double weight = MU_WATER_PER_MM / zSubsamples;
    for (int k = 0; k < slices; k++) {
      for (int m = 0; m < zSubsamples; m++) {
        double z = origin[2] + k * thickness + ((m + 0.5) / zSubsamples - 0.5) * thickness;
        EllipsoidPhantom.Section section = phantom.section(z);
        for (int b = 0; b < bins; b++) {
          out[k * bins + b] +=
              (float) (weight * section.lineIntegral(sx, sy, vx[b], vy[b], scratch));
        }
      }
    }
    if (photonsPerRay > 0) {
      SplittableRandom random = new SplittableRandom(noiseSeed);
      for (int i = 0; i < out.length; i++) {
        double expected = photonsPerRay * Math.exp(-out[i]);
        double counted = Math.max(1, expected + Math.sqrt(expected) * gaussian(random));
        out[i] = (float) -Math.log(counted / photonsPerRay);
      }
    }
    return out;
  }

  private static double gaussian(SplittableRandom random) {
    double u1 = 1 - random.nextDouble();
    double u2 = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}
