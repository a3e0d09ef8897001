package org.voxelwise.imaging.simulate;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.voxelwise.imaging.progress.OperationCancelledException;
import org.voxelwise.imaging.progress.ProgressListener;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.Volume;

/**
 * Filtered back-projection of fan-beam {@link Sinogram}s (direct fan-beam FBP for a flat detector,
 * slice by slice), for any subset of the projections, e.g. one respiratory phase.
 *
 * <p>Contract: with D the source-to-isocentre distance, u the bin position on the virtual detector
 * through the isocentre, and for a point x at gantry angle β: {@code t = x·(cos β, sin β)}, {@code
 * U = 1 + t/D} and {@code u* = x·(−sin β, cos β)/U}, the reconstruction is
 *
 * <pre>
 *   μ(x) = (Δβ/2) · Σ_β Q_β(u*) / U²,   Δβ = 2π / (number of projections used),
 *   Q_β = Δu · (p_β · D/√(D² + u²)) ∗ h,
 * </pre>
 *
 * where h is the discrete ramp kernel (h(0) = 1/(4Δu²), h(n odd) = −1/(n²π²Δu²), 0 otherwise)
 * apodised in frequency by the {@link Window}, the convolution is done by FFT with zero padding to
 * a power of two ≥ 2·bins (no wrap-around), and Q_β(u*) is interpolated linearly between bins (0
 * outside the detector). This is exact for a full, evenly sampled 360° scan in the limit of fine
 * sampling; a sparse or clustered subset gives the streaks of 4D CBCT. Work is parallel over
 * projections (filtering) and image rows (back-projection); results do not depend on the number of
 * threads.
 */
public final class Fbp {
  /** Lowest HU written by {@link #toHu}. */
  public static final int MIN_HU = -1024;

  /** Highest HU written by {@link #toHu}. */
  public static final int MAX_HU = 3071;

  private Fbp() {}

  /** Apodisation of the ramp filter, as a function of frequency ν in cycles per bin (0 … 0.5). */
  public enum Window {
    /** 1: the bare ramp (sharpest, noisiest). */
    RAM_LAK,
    /** sinc(ν) = sin(πν)/(πν). */
    SHEPP_LOGAN,
    /** (1 + cos 2πν)/2: 0 at the Nyquist frequency (smoothest). */
    HANN;

    double at(double nu) {
      return switch (this) {
        case RAM_LAK -> 1;
        case SHEPP_LOGAN -> nu == 0 ? 1 : Math.sin(Math.PI * nu) / (Math.PI * nu);
        case HANN -> 0.5 * (1 + Math.cos(2 * Math.PI * nu));
      };
    }
  }

  /**
   * Filtered projections, ready for {@link #backproject}: Q_β for every projection of a sinogram.
   * Immutable once made.
   */
  public static final class Filtered {
    private final Sinogram sinogram;
    private final float[][] binMajor;

    private Filtered(Sinogram sinogram, float[][] binMajor) {
      this.sinogram = sinogram;
      this.binMajor = binMajor;
    }

    /** The sinogram these were filtered from. */
    public Sinogram sinogram() {
      return sinogram;
    }
  }

  /**
   * Reconstructs the grid of {@code sinogram} from the projections listed, in HU.
   *
   * @param projections indices of the projections to use (at least one, each once)
   * @throws IllegalArgumentException for an empty list or an index out of range
   * @throws OperationCancelledException when {@code progress} was cancelled
   */
  public static Volume reconstruct(
      Sinogram sinogram, int[] projections, Window window, ProgressListener progress) {
    Filtered filtered = filter(sinogram, window, progress.part(0, 0.3));
    return toHu(sinogram.grid(), backproject(filtered, projections, progress.part(0.3, 1)));
  }

  /**
   * Filters every projection of {@code sinogram} (pre-weighting and apodised ramp).
   *
   * @throws OperationCancelledException when {@code progress} was cancelled
   */
  public static Filtered filter(Sinogram sinogram, Window window, ProgressListener progress) {
    Objects.requireNonNull(window, "window");
    FanBeamGeometry fan = sinogram.fan();
    int bins = fan.bins();
    int slices = sinogram.grid().sizeZ();
    Fft fft = new Fft(Integer.highestOneBit(2 * bins - 1) << 1);
    double[] response = response(fft, fan.binWidthAtIsocentreMm(), window);
    double[] preWeight = new double[bins];
    double d = fan.sourceToIsocentreMm();
    for (int b = 0; b < bins; b++) {
      double u = fan.binPositionMm(b);
      preWeight[b] = d / Math.sqrt(d * d + u * u) * fan.binWidthAtIsocentreMm();
    }
    int count = sinogram.projectionCount();
    float[][] out = new float[count][];
    AtomicInteger done = new AtomicInteger();
    IntStream.range(0, count)
        .parallel()
        .forEach(
            n -> {
              progress.checkCancelled();
              out[n] = filterProjection(sinogram.values(n), slices, bins, fft, response, preWeight);
              progress.update((double) done.incrementAndGet() / count, "Filtering projections");
            });
    return new Filtered(sinogram, out);
  }

  /** The ramp kernel's transfer function times the window, for an FFT of length fft.length(). */
  private static double[] response(Fft fft, double binWidth, Window window) {
    int length = fft.length();
    double[] re = new double[length];
    double[] im = new double[length];
    re[0] = 1 / (4 * binWidth * binWidth);
    for (int k = 1; k < length / 2; k += 2) {
      double v = -1 / (k * k * Math.PI * Math.PI * binWidth * binWidth);
      re[k] = v;
      re[length - k] = v;
    }
    fft.transform(re, im, false);
    for (int k = 0; k < length; k++) {
      re[k] *= window.at((double) Math.min(k, length - k) / length);
    }
    return re;
  }

  /** Filters the rows of one projection; the result is bin-major (slice fastest). */
  private static float[] filterProjection(
      float[] values, int slices, int bins, Fft fft, double[] response, double[] preWeight) {
    int length = fft.length();
    double[] re = new double[length];
    double[] im = new double[length];
    float[] out = new float[values.length];
    for (int k = 0; k < slices; k += 2) {
      boolean pair = k + 1 < slices;
      Arrays.fill(re, 0);
      Arrays.fill(im, 0);
      for (int b = 0; b < bins; b++) {
        re[b] = values[k * bins + b] * preWeight[b];
        im[b] = pair ? values[(k + 1) * bins + b] * preWeight[b] : 0;
      }
      fft.transform(re, im, false);
      for (int f = 0; f < length; f++) {
        re[f] *= response[f];
        im[f] *= response[f];
      }
      fft.transform(re, im, true);
      for (int b = 0; b < bins; b++) {
        out[b * slices + k] = (float) re[b];
        if (pair) {
          out[b * slices + k + 1] = (float) im[b];
        }
      }
    }
    return out;
  }

  /**
   * Back-projects the filtered projections listed, giving μ in 1/mm on the sinogram's grid (flat
   * index {@code x + sizeX·(y + sizeY·z)}, as {@link Volume}).
   *
   * @param projections indices of the projections to use (at least one, each once)
   * @throws IllegalArgumentException for an empty list or an index out of range
   * @throws OperationCancelledException when {@code progress} was cancelled
   */
  public static float[] backproject(
      Filtered filtered, int[] projections, ProgressListener progress) {
    Sinogram sinogram = filtered.sinogram;
    if (projections.length == 0) {
      throw new IllegalArgumentException("no projections to back-project");
    }
    for (int n : projections) {
      if (n < 0 || n >= sinogram.projectionCount()) {
        throw new IllegalArgumentException("no projection " + n);
      }
    }
    Geometry grid = sinogram.grid();
    FanBeamGeometry fan = sinogram.fan();
    int nx = grid.sizeX();
    int ny = grid.sizeY();
    int nz = grid.sizeZ();
    int bins = fan.bins();
    double[] origin = grid.originMm();
    double[] spacing = grid.spacingMm();
    double d = fan.sourceToIsocentreMm();
    double u0 = fan.binPositionMm(0);
    double du = fan.binWidthAtIsocentreMm();
    int count = projections.length;
    double[] cos = new double[count];
    double[] sin = new double[count];
    for (int p = 0; p < count; p++) {
      cos[p] = Math.cos(sinogram.angleRad(projections[p]));
      sin[p] = Math.sin(sinogram.angleRad(projections[p]));
    }
    float scale = (float) (Math.PI / count);
    float[] mu = new float[Math.toIntExact(grid.voxelCount())];
    AtomicInteger done = new AtomicInteger();
    IntStream.range(0, ny)
        .parallel()
        .forEach(
            j -> {
              progress.checkCancelled();
              double y = origin[1] + j * spacing[1];
              float[] row = new float[nx * nz];
              for (int p = 0; p < count; p++) {
                float[] q = filtered.binMajor[projections[p]];
                for (int i = 0; i < nx; i++) {
                  double x = origin[0] + i * spacing[0];
                  double magnification = 1 + (x * cos[p] + y * sin[p]) / d;
                  double index = ((-x * sin[p] + y * cos[p]) / magnification - u0) / du;
                  int b0 = (int) Math.floor(index);
                  if (b0 < 0 || b0 >= bins - 1) {
                    continue;
                  }
                  float weight = (float) (1 / (magnification * magnification));
                  float w1 = weight * (float) (index - b0);
                  float w0 = weight - w1;
                  int base = i * nz;
                  int qa = b0 * nz;
                  int qb = qa + nz;
                  for (int k = 0; k < nz; k++) {
                    row[base + k] += w0 * q[qa + k] + w1 * q[qb + k];
                  }
                }
              }
              for (int i = 0; i < nx; i++) {
                for (int k = 0; k < nz; k++) {
                  mu[i + nx * (j + ny * k)] = row[i * nz + k] * scale;
                }
              }
              progress.update((double) done.incrementAndGet() / ny, "Back-projecting");
            });
    return mu;
  }

  /**
   * μ (1/mm, flat as {@link Volume}) as a CT volume: {@code HU = 1000·(μ/μ_water − 1)} with μ_water
   * = {@link FanBeamScanner#MU_WATER_PER_MM}, rounded and clipped to [{@link #MIN_HU}, {@link
   * #MAX_HU}], modality "CT".
   *
   * @throws IllegalArgumentException when {@code mu} does not hold one value per voxel
   */
  public static Volume toHu(Geometry grid, float[] mu) {
    short[] hu = new short[mu.length];
    double k = 1000 / FanBeamScanner.MU_WATER_PER_MM;
    for (int i = 0; i < mu.length; i++) {
      long v = Math.round(k * mu[i] - 1000);
      hu[i] = (short) Math.max(MIN_HU, Math.min(MAX_HU, v));
    }
    return Volume.ofShorts(grid, "CT", hu);
  }
}
