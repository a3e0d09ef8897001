package org.voxelwise.imaging.simulate;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.voxelwise.imaging.progress.OperationCancelledException;
import org.voxelwise.imaging.progress.ProgressListener;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.Volume;
import org.voxelwise.imaging.volume.Volume4D;

/**
 * Simulates a respiratory-correlated (4D) CBCT scan of a breathing {@link ThoraxPhantom4D}: a slow
 * 360° fan-beam rotation during which the patient breathes irregularly, projections sorted into
 * phases by the breathing signal, and each phase reconstructed from its own sparse, clustered
 * projections (which gives the rotating streaks of 4D CBCT).
 *
 * <p>Contract, for {@link Parameters} p:
 *
 * <ul>
 *   <li>The breathing signal is {@link Parameters#breathing()}, the anatomy {@link
 *       ThoraxPhantom4D#create} of p's seed.
 *   <li>Projection n of N is taken at time {@code n·T/N} and gantry angle {@code 2π·n/N} (T the
 *       rotation time), seeing the phantom at that time's displacement ({@link FanBeamScanner},
 *       {@value #Z_SUBSAMPLES} planes per slice, the default {@link FanBeamGeometry#forGrid}
 *       scanner, quantum noise of p's photons per ray).
 *   <li>Projection n belongs to phase {@link BreathingSignal#phaseBin} of its time; each phase is
 *       reconstructed by {@link Fbp} (Hann window) from its own projections, the prior from all of
 *       them. Since FBP is linear, the prior equals the mean of the phases' μ images weighted by
 *       their numbers of projections (before rounding to HU).
 *   <li>The ground truth of a phase is the phantom at the mean displacement of its projections,
 *       sampled with {@value #IN_PLANE_SUBSAMPLES}² × {@value #Z_SUBSAMPLES} points per voxel.
 *   <li>Every output volume lies on {@link ThoraxPhantom4D#grid} of p's size, in HU as 16-bit
 *       integers clipped to [{@link Fbp#MIN_HU}, {@link Fbp#MAX_HU}]. Phases are labelled "0%",
 *       "10%", … (phase 0 starts at end-inhale). The same parameters give the same result.
 * </ul>
 */
public final class Cbct4dSimulator {
  /** Planes per slice in the projections and in the ground truth. */
  public static final int Z_SUBSAMPLES = 2;

  /** Sub-samples per voxel along x and along y in the ground truth. */
  public static final int IN_PLANE_SUBSAMPLES = 3;

  private Cbct4dSimulator() {}

  /**
   * What to simulate.
   *
   * @param sizeX columns of the reconstruction grid, ≥ 8
   * @param sizeY rows, ≥ 8
   * @param sizeZ slices, ≥ 1
   * @param projections projections over the 360° rotation, ≥ phases
   * @param phases respiratory phases, ≥ 1
   * @param seed seed of the anatomy, the breathing and the noise
   * @param photonsPerRay unattenuated photons per detector bin for quantum noise, 0 for none
   * @param rotationTimeS duration of the rotation in seconds, &gt; 0
   * @param irregularBreathing whether the breathing is {@link BreathingSignal#irregular} (as in
   *     patients) or {@link BreathingSignal#regular} ({@value #REGULAR_PERIOD_S} s, {@value
   *     #REGULAR_AMPLITUDE_MM} mm, starting at a point of the cycle drawn from the seed)
   */
  public record Parameters(
      int sizeX,
      int sizeY,
      int sizeZ,
      int projections,
      int phases,
      long seed,
      double photonsPerRay,
      double rotationTimeS,
      boolean irregularBreathing) {
    /** Default unattenuated photons per ray (low noise, about 10 HU in the prior). */
    public static final double DEFAULT_PHOTONS_PER_RAY = 1e6;

    /** Default rotation time of a slow CBCT scan, in seconds. */
    public static final double DEFAULT_ROTATION_TIME_S = 60;

    /** Period of regular breathing, in seconds. */
    public static final double REGULAR_PERIOD_S = 4;

    /** Amplitude of regular breathing, in mm. */
    public static final double REGULAR_AMPLITUDE_MM = 15;

    public Parameters {
      if (sizeX < 8 || sizeY < 8 || sizeZ < 1) {
        throw new IllegalArgumentException(
            "size must be at least 8×8×1: " + sizeX + "×" + sizeY + "×" + sizeZ);
      }
      if (phases < 1 || projections < phases) {
        throw new IllegalArgumentException(
            "need at least one phase and as many projections as phases: "
                + projections
                + " projections, "
                + phases
                + " phases");
      }
      if (!(photonsPerRay >= 0) || Double.isInfinite(photonsPerRay)) {
        throw new IllegalArgumentException("photons per ray must be ≥ 0: " + photonsPerRay);
      }
      if (!(rotationTimeS > 0) || Double.isInfinite(rotationTimeS)) {
        throw new IllegalArgumentException("rotation time must be > 0 s: " + rotationTimeS);
      }
    }

    /**
     * The default case: 256×256×64 voxels (1.5 × 1.5 × 2.5 mm), 600 projections in 60 s, 10 phases,
     * {@link #DEFAULT_PHOTONS_PER_RAY}, irregular breathing.
     */
    public static Parameters defaults(long seed) {
      return new Parameters(
          256, 256, 64, 600, 10, seed, DEFAULT_PHOTONS_PER_RAY, DEFAULT_ROTATION_TIME_S, true);
    }

    /** A small case for tests: 128×128×4 voxels (3 × 3 × 40 mm), otherwise as {@link #defaults}. */
    public static Parameters small(long seed) {
      return new Parameters(
          128, 128, 4, 600, 10, seed, DEFAULT_PHOTONS_PER_RAY, DEFAULT_ROTATION_TIME_S, true);
    }

    /** These parameters with another grid size. */
    public Parameters withSize(int x, int y, int z) {
      return new Parameters(
          x, y, z, projections, phases, seed, photonsPerRay, rotationTimeS, irregularBreathing);
    }

    /** These parameters with another number of projections. */
    public Parameters withProjections(int n) {
      return new Parameters(
          sizeX, sizeY, sizeZ, n, phases, seed, photonsPerRay, rotationTimeS, irregularBreathing);
    }

    /** These parameters with another photon count (0: no noise). */
    public Parameters withPhotonsPerRay(double photons) {
      return new Parameters(
          sizeX,
          sizeY,
          sizeZ,
          projections,
          phases,
          seed,
          photons,
          rotationTimeS,
          irregularBreathing);
    }

    /** These parameters with another seed. */
    public Parameters withSeed(long newSeed) {
      return new Parameters(
          sizeX,
          sizeY,
          sizeZ,
          projections,
          phases,
          newSeed,
          photonsPerRay,
          rotationTimeS,
          irregularBreathing);
    }

    /** These parameters with another rotation time. */
    public Parameters withRotationTimeS(double seconds) {
      return new Parameters(
          sizeX,
          sizeY,
          sizeZ,
          projections,
          phases,
          seed,
          photonsPerRay,
          seconds,
          irregularBreathing);
    }

    /** These parameters with irregular or regular breathing. */
    public Parameters withIrregularBreathing(boolean irregular) {
      return new Parameters(
          sizeX, sizeY, sizeZ, projections, phases, seed, photonsPerRay, rotationTimeS, irregular);
    }

    /** The breathing signal of these parameters over the rotation. */
    public BreathingSignal breathing() {
      if (irregularBreathing) {
        return BreathingSignal.irregular(seed, rotationTimeS);
      }
      double start = new SplittableRandom(seed).nextDouble();
      return BreathingSignal.regular(REGULAR_PERIOD_S, REGULAR_AMPLITUDE_MM, start, rotationTimeS);
    }

    /** The reconstruction grid, {@link ThoraxPhantom4D#grid} of this size. */
    public Geometry grid() {
      return ThoraxPhantom4D.grid(sizeX, sizeY, sizeZ);
    }
  }

  /**
   * A simulated 4D CBCT case.
   *
   * @param parameters what was simulated
   * @param signal the breathing signal over the scan
   * @param fan the scanner geometry
   * @param phases the per-phase reconstructions, in phase order
   * @param prior the reconstruction from all projections
   * @param truth the phantom at each phase's mean displacement, labelled as {@code phases}
   * @param projectionsPerPhase how many projections each phase got
   * @param meanDisplacementMm mean diaphragm displacement of each phase's projections, in mm
   */
  public record Result(
      Parameters parameters,
      BreathingSignal signal,
      FanBeamGeometry fan,
      Volume4D phases,
      Volume prior,
      Volume4D truth,
      int[] projectionsPerPhase,
      double[] meanDisplacementMm) {
    public Result {
      projectionsPerPhase = projectionsPerPhase.clone();
      meanDisplacementMm = meanDisplacementMm.clone();
    }

    /** How many projections each phase got (a copy). */
    @Override
    public int[] projectionsPerPhase() {
      return projectionsPerPhase.clone();
    }

    /** Mean diaphragm displacement of each phase's projections in mm (a copy). */
    @Override
    public double[] meanDisplacementMm() {
      return meanDisplacementMm.clone();
    }
  }

  /**
   * Simulates the case {@code p}.
   *
   * @throws IllegalArgumentException when some phase gets no projection (too few projections for
   *     the number of phases)
   * @throws OperationCancelledException when {@code progress} was cancelled
   */
  public static Result simulate(Parameters p, ProgressListener progress) {
    return simulate(p, 0, p.sizeZ(), progress);
  }

  /**
   * Simulates only the slices {@code firstSlice} to {@code firstSlice + slices − 1} of the case
   * {@code p}: the same anatomy, breathing, phase sorting, in-plane geometry and slice spacing as
   * those slices of the whole case (each axial slice is scanned on its own), at the cost of {@code
   * slices} slices. Only the quantum noise is drawn differently. Every output volume lies on those
   * slices of {@link Parameters#grid()}.
   *
   * @throws IllegalArgumentException when the slices are not inside the grid, or some phase gets no
   *     projection
   * @throws OperationCancelledException when {@code progress} was cancelled
   */
  public static Result simulate(
      Parameters p, int firstSlice, int slices, ProgressListener progress) {
    Objects.requireNonNull(progress, "progress");
    if (firstSlice < 0 || slices < 1 || firstSlice + slices > p.sizeZ()) {
      throw new IllegalArgumentException(
          "slices "
              + firstSlice
              + ".."
              + (firstSlice + slices - 1)
              + " are not inside the "
              + p.sizeZ()
              + " slices of the grid");
    }
    Geometry whole = p.grid();
    double[] origin = whole.voxelToPatient(0, 0, firstSlice);
    Geometry grid =
        new Geometry(
            p.sizeX(),
            p.sizeY(),
            slices,
            whole.spacingMm(),
            origin,
            whole.axisX(),
            whole.axisY(),
            whole.axisZ());
    FanBeamGeometry fan = FanBeamGeometry.forGrid(grid);
    ThoraxPhantom4D phantom = ThoraxPhantom4D.create(p.seed());
    BreathingSignal signal = p.breathing();
    int count = p.projections();
    double[] angles = new double[count];
    double[] times = new double[count];
    List<List<Integer>> members = new ArrayList<>();
    for (int phase = 0; phase < p.phases(); phase++) {
      members.add(new ArrayList<>());
    }
    double[] displacementSum = new double[p.phases()];
    for (int n = 0; n < count; n++) {
      angles[n] = 2 * Math.PI * n / count;
      times[n] = p.rotationTimeS() * n / count;
      int phase = signal.phaseBin(times[n], p.phases());
      members.get(phase).add(n);
      displacementSum[phase] += signal.displacementMm(times[n]);
    }
    int[] perPhase = new int[p.phases()];
    double[] meanDisplacement = new double[p.phases()];
    for (int phase = 0; phase < p.phases(); phase++) {
      perPhase[phase] = members.get(phase).size();
      if (perPhase[phase] == 0) {
        throw new IllegalArgumentException(
            "phase "
                + phase
                + " got no projection: "
                + count
                + " projections are too few for "
                + p.phases()
                + " phases");
      }
      meanDisplacement[phase] = displacementSum[phase] / perPhase[phase];
    }

    Sinogram sinogram =
        FanBeamScanner.scan(
            grid,
            fan,
            angles,
            times,
            t -> phantom.at(signal.displacementMm(t)),
            Z_SUBSAMPLES,
            p.photonsPerRay(),
            p.seed(),
            progress.part(0, 0.35));
    Fbp.Filtered filtered = Fbp.filter(sinogram, Fbp.Window.HANN, progress.part(0.35, 0.45));
    List<Volume> phaseVolumes = new ArrayList<>();
    List<Volume> truthVolumes = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    float[] prior = new float[Math.toIntExact(grid.voxelCount())];
    for (int phase = 0; phase < p.phases(); phase++) {
      double from = 0.45 + 0.55 * phase / p.phases();
      double to = 0.45 + 0.55 * (phase + 1) / p.phases();
      double mid = from + 0.8 * (to - from);
      int[] indices = members.get(phase).stream().mapToInt(Integer::intValue).toArray();
      float[] mu = Fbp.backproject(filtered, indices, progress.part(from, mid));
      float weight = (float) perPhase[phase] / count;
      for (int i = 0; i < mu.length; i++) {
        prior[i] += weight * mu[i];
      }
      phaseVolumes.add(Fbp.toHu(grid, mu));
      truthVolumes.add(
          phantom
              .at(meanDisplacement[phase])
              .voxelize(grid, IN_PLANE_SUBSAMPLES, Z_SUBSAMPLES, progress.part(mid, to)));
      labels.add(Math.round(100.0 * phase / p.phases()) + "%");
    }
    return new Result(
        p,
        signal,
        fan,
        new Volume4D(phaseVolumes, labels),
        Fbp.toHu(grid, prior),
        new Volume4D(truthVolumes, labels),
        perPhase,
        meanDisplacement);
  }
}
