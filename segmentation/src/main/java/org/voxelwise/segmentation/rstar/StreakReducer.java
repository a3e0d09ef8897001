package org.voxelwise.segmentation.rstar;

import ai.djl.Device;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.voxelwise.imaging.BadInputException;
import org.voxelwise.imaging.progress.ProgressListener;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.Volume;
import org.voxelwise.imaging.volume.Volume4D;
import org.voxelwise.segmentation.engine.BatchScheduler;
import org.voxelwise.segmentation.engine.DeviceChoice;

/**
 * Removes the rotating streaks of a phase-sorted 4D CBCT with a trained RSTAR4D-Net (or its 3D
 * ablation): from the phases (HU) and the prior (the reconstruction from all projections, HU, on
 * the same grid) to corrected phases on that same grid, with the same phase labels.
 *
 * <p>Steps, each timed ({@link #timingsMs()}, milliseconds, keys in this order): {@code warmUp}
 * (first use of a device in this process only: one small forward pass), {@code prepare} (HU /
 * {@link Rstar4dModelCard#inputScaleHu()}), {@code infer}, {@code assemble}.
 *
 * <p>Tiling: the network runs on tiles of {@code T × depth × side × side} voxels (all phases at
 * once, as the t convolutions need them) that overlap by {@code zOverlap} slices along z and {@code
 * inPlaneOverlap} pixels in-plane; in the overlaps the tiles' outputs are blended ({@link #ramp}):
 * each tile is left out over the outer quarter of an overlap and faded in linearly over its middle
 * half, so seams do not show. The in-plane grid is padded with air (−1000 HU) to multiples of the
 * network's {@link Rstar4dConfig#inPlaneMultiple()}; tiles start at such multiples, so a tile sees
 * the same sampling as the whole image. Where a quarter of every overlap is at least the network's
 * reach, the tiled result equals the untiled one. The tile is the one within a memory budget
 * ({@value #DEFAULT_TILE_VOXELS} voxels × phases) that needs the least work in all, overlaps
 * counted; a tile whose forward pass runs out of device memory is halved (in-plane first, then
 * along z) and the work restarts, and when even the smallest tile does not fit on a GPU the model
 * moves to the CPU, each with a warning ({@link #warnings()}).
 *
 * <p>Not thread-safe: one reduction at a time per instance. Close it to free the model.
 */
public final class StreakReducer implements AutoCloseable {

  /** Fewest phases the network needs. */
  public static final int MIN_PHASES = 3;

  /** Default budget: voxels × phases of one tile. */
  public static final long DEFAULT_TILE_VOXELS = 4L << 20;

  /** Default overlap of neighbouring tiles along z, in slices. */
  public static final int DEFAULT_Z_OVERLAP = 2;

  /** Default overlap of neighbouring tiles in-plane, in pixels. */
  public static final int DEFAULT_IN_PLANE_OVERLAP = 16;

  private static final float AIR_HU = -1000f;
  private static final int MIN_SIDE = 32;
  private static final Set<String> WARMED = ConcurrentHashMap.newKeySet();

  private Rstar4dModelFiles.Loaded loaded;
  private final Tiling tiling;
  private Map<String, Long> timings = Map.of();
  private List<String> warnings = List.of();

  /**
   * How the volume is cut into tiles.
   *
   * @param tileVoxels largest voxels × phases of one tile
   * @param zOverlap overlap along z, slices, 0 or more
   * @param inPlaneOverlap overlap in-plane, pixels, 0 or more (rounded up to the in-plane multiple)
   * @param maxDepth largest tile depth, slices (0: no limit but the budget)
   * @param maxSide largest tile side, pixels (0: no limit but the budget)
   */
  record Tiling(long tileVoxels, int zOverlap, int inPlaneOverlap, int maxDepth, int maxSide) {
    static final Tiling DEFAULT =
        new Tiling(DEFAULT_TILE_VOXELS, DEFAULT_Z_OVERLAP, DEFAULT_IN_PLANE_OVERLAP, 0, 0);
  }

  StreakReducer(Rstar4dModelFiles.Loaded loaded, Tiling tiling) {
    this.loaded = loaded;
    this.tiling = tiling;
  }

  /**
   * Loads a model folder ({@link Rstar4dModelFiles}) onto the device {@code choice} picks.
   *
   * @param modelDir the model folder; null for the built-in model
   * @param choice where to run
   * @return the reducer; close it after use
   * @throws IOException when the folder does not hold a usable model, or {@code modelDir} is null
   *     and this build ships no built-in model (the message says so and names the folder)
   * @throws org.voxelwise.segmentation.engine.GpuUnavailableException for {@link DeviceChoice#GPU}
   *     on a machine where PyTorch sees no GPU
   */
  public static StreakReducer open(Path modelDir, DeviceChoice choice) throws IOException {
    Path dir = modelDir;
    if (dir == null) {
      dir =
          Rstar4dModelFiles.builtIn()
              .orElseThrow(
                  () ->
                      new IOException(
                          "this build ships no built-in RSTAR4D model (class-path folder "
                              + Rstar4dModelFiles.BUILT_IN
                              + "); name a model folder made by 'voxelwise train rstar4d'"));
    }
    Device device = choice.select();
    return new StreakReducer(Rstar4dModelFiles.load(dir, device), Tiling.DEFAULT);
  }

  /** Where the model runs now: {@code "cpu"} or {@code "gpu"} ({@link DeviceChoice#reportName}). */
  public String deviceName() {
    return DeviceChoice.reportName(device());
  }

  /** The model's id, from its card. */
  public String modelId() {
    return loaded.card().id();
  }

  /** The model's version, from its card. */
  public String modelVersion() {
    return loaded.card().version();
  }

  /** Milliseconds per step of the last {@link #reduce} (empty before the first). */
  public Map<String, Long> timingsMs() {
    return timings;
  }

  /** What the user should know about the last {@link #reduce} (tiles shrunk, moved to the CPU). */
  public List<String> warnings() {
    return warnings;
  }

  private Device device() {
    return loaded.model().getNDManager().getDevice();
  }

  /**
   * Checks that volumes can be the phases of one 4D study and makes them one.
   *
   * @param volumes the phases in temporal order
   * @param labels one label per phase
   * @param source how the user would name the study, for messages
   * @return the 4D volume
   * @throws BadInputException for fewer than {@value #MIN_PHASES} phases or phases on different
   *     grids (naming the first that differs)
   */
  public static Volume4D phasesOf(List<Volume> volumes, List<String> labels, String source)
      throws BadInputException {
    requirePhaseCount(volumes.size(), source);
    Geometry g = volumes.get(0).geometry();
    for (int i = 1; i < volumes.size(); i++) {
      Geometry gi = volumes.get(i).geometry();
      if (!gi.sameGrid(g, 0.01)) {
        throw new BadInputException(
            source,
            "phase "
                + (i + 1)
                + " ("
                + labels.get(i)
                + ") is on a grid of "
                + size(gi)
                + " that differs from phase 1's "
                + size(g)
                + "; all phases must share one grid");
      }
    }
    return new Volume4D(volumes, labels);
  }

  private static void requirePhaseCount(int phases, String source) throws BadInputException {
    if (phases < MIN_PHASES) {
      throw new BadInputException(
          source,
          (phases == 1 ? "a single 3D volume" : "only " + phases + " phases")
              + "; streak reduction needs a 4D study of at least "
              + MIN_PHASES
              + " respiratory phases");
    }
  }

  private static String size(Geometry g) {
    double[] s = g.spacingMm();
    return String.format(
        Locale.ROOT,
        "%d×%d×%d voxels of %.3g×%.3g×%.3g mm",
        g.sizeX(),
        g.sizeY(),
        g.sizeZ(),
        s[0],
        s[1],
        s[2]);
  }

  /**
   * Reduces the streaks of every phase.
   *
   * @param phases at least {@value #MIN_PHASES} phases of one grid, HU
   * @param prior the reconstruction from all projections (or the phases' mean), HU, on that grid
   * @param progress receives progress per tile and is asked for cancellation between tiles
   * @return the corrected phases, HU (float), same grid, labels and modality as {@code phases}
   * @throws BadInputException for fewer than {@value #MIN_PHASES} phases, phases on different
   *     grids, or a prior on another grid
   * @throws org.voxelwise.imaging.progress.OperationCancelledException when cancelled
   */
  public Volume4D reduce(Volume4D phases, Volume prior, ProgressListener progress)
      throws BadInputException {
    phasesOf(phases.phases(), phases.phaseLabels(), "the 4D study");
    Geometry g = phases.geometry();
    if (!prior.geometry().sameGrid(g, 0.01)) {
      throw new BadInputException(
          "the prior",
          "its grid of " + size(prior.geometry()) + " differs from the phases' grid of " + size(g));
    }
    Map<String, Long> times = new LinkedHashMap<>();
    List<String> notes = new ArrayList<>();
    long t = System.nanoTime();
    int m = loaded.network().config().inPlaneMultiple();
    if (WARMED.add(device().toString())) {
      progress.update(0, "Warming up the model on the " + deviceName());
      forward(new float[2 * phases.phaseCount() * m * m], phases.phaseCount(), 1, m, m);
      t = lap(times, "warmUp", t);
    }
    progress.update(0.01, "Preparing the input");
    Input in = prepare(phases, prior, m);
    t = lap(times, "prepare", t);
    progress.checkCancelled();
    float[][] out = infer(in, m, progress.part(0.02, 0.97), notes);
    t = lap(times, "infer", t);
    progress.update(0.97, "Assembling the corrected phases");
    List<Volume> volumes = new ArrayList<>();
    String modality = phases.phases().get(0).modality();
    for (float[] phase : out) {
      volumes.add(Volume.ofFloats(g, modality, phase));
    }
    Volume4D result = new Volume4D(volumes, phases.phaseLabels());
    lap(times, "assemble", t);
    timings = Collections.unmodifiableMap(times);
    warnings = List.copyOf(notes);
    progress.update(1, "Streaks reduced");
    return result;
  }

  /** The scaled phases and prior, and the sizes. */
  private record Input(float[][] phases, float[] prior, int nx, int ny, int nz, float scale) {}

  private Input prepare(Volume4D phases, Volume prior, int m) {
    Geometry g = phases.geometry();
    float scale = (float) loaded.card().inputScaleHu();
    float[][] p = new float[phases.phaseCount()][];
    for (int i = 0; i < p.length; i++) {
      p[i] = scaled(phases.phases().get(i).toFloatArray(), scale);
    }
    return new Input(
        p, scaled(prior.toFloatArray(), scale), g.sizeX(), g.sizeY(), g.sizeZ(), scale);
  }

  private static float[] scaled(float[] hu, float scale) {
    for (int i = 0; i < hu.length; i++) {
      hu[i] /= scale;
    }
    return hu;
  }

  /** Runs the tiles, shrinking them or moving to the CPU when memory runs out. */
  private float[][] infer(Input in, int m, ProgressListener progress, List<String> notes) {
    int phases = in.phases().length;
    int px = roundUp(in.nx(), m);
    int py = roundUp(in.ny(), m);
    int[] tile = plan(phases, in.nz(), px, py, m);
    int depth = tile[0];
    int side = tile[1];
    while (true) {
      try {
        return runTiles(in, m, px, py, depth, side, progress);
      } catch (EngineException e) {
        if (!BatchScheduler.isOutOfMemory(e)) {
          throw e;
        }
        if (side > MIN_SIDE) {
          side = Math.max(MIN_SIDE, roundUp(side / 2, m));
          notes.add("out of device memory: retrying with tiles of " + side + " pixels");
        } else if (depth > 1) {
          depth = Math.max(1, depth / 2);
          notes.add("out of device memory: retrying with tiles of " + depth + " slices");
        } else if (switchToCpu()) {
          notes.add("out of GPU memory even for the smallest tile: went on on the CPU");
        } else {
          throw e;
        }
      }
    }
  }

  private float[][] runTiles(
      Input in, int m, int px, int py, int depth, int side, ProgressListener progress) {
    int phases = in.phases().length;
    int nx = in.nx();
    int ny = in.ny();
    int nz = in.nz();
    int tileX = Math.min(side, px);
    int tileY = Math.min(side, py);
    int overlapIn = roundUp(tiling.inPlaneOverlap(), m);
    int[] zs = starts(nz, depth, Math.min(tiling.zOverlap(), depth - 1), 1);
    int[] ys = starts(py, tileY, Math.min(overlapIn, tileY - m), m);
    int[] xs = starts(px, tileX, Math.min(overlapIn, tileX - m), m);
    int n = nx * ny * nz;
    float[][] sum = new float[phases][n];
    float[] weights = new float[n];
    int tiles = zs.length * ys.length * xs.length;
    int done = 0;
    progress.update(0, "Reducing streaks in " + tiles + " tiles");
    for (int z0 : zs) {
      int dz = Math.min(depth, nz - z0);
      float[] wz = ramp(z0, dz, zs);
      for (int y0 : ys) {
        float[] wy = ramp(y0, tileY, ys);
        for (int x0 : xs) {
          float[] wx = ramp(x0, tileX, xs);
          float[] input = new float[2 * phases * dz * tileY * tileX];
          int block = dz * tileY * tileX;
          for (int p = 0; p < phases; p++) {
            copyTile(in.phases()[p], in, x0, y0, z0, tileX, tileY, dz, input, p * block);
            copyTile(in.prior(), in, x0, y0, z0, tileX, tileY, dz, input, (phases + p) * block);
          }
          float[] output = forward(input, phases, dz, tileY, tileX);
          for (int z = 0; z < dz; z++) {
            for (int y = 0; y < tileY && y0 + y < ny; y++) {
              for (int x = 0; x < tileX && x0 + x < nx; x++) {
                int i = x0 + x + nx * (y0 + y + ny * (z0 + z));
                float w = wz[z] * wy[y] * wx[x];
                int j = x + tileX * (y + tileY * z);
                weights[i] += w;
                for (int p = 0; p < phases; p++) {
                  sum[p][i] += w * output[p * block + j];
                }
              }
            }
          }
          done++;
          progress.update((double) done / tiles, "Tile " + done + " of " + tiles);
          progress.checkCancelled();
        }
      }
    }
    for (int p = 0; p < phases; p++) {
      float[] s = sum[p];
      for (int i = 0; i < n; i++) {
        s[i] = s[i] / weights[i] * in.scale();
      }
    }
    return sum;
  }

  /**
   * The tile {depth, side} within the budget and the limits, and larger than the overlaps where it
   * does not cover the whole axis, that needs the least work in all (tiles × voxels per tile,
   * overlaps counted); a small tile when none fits.
   */
  int[] plan(int phases, int nz, int px, int py, int m) {
    int maxDepth = tiling.maxDepth() > 0 ? Math.min(nz, tiling.maxDepth()) : nz;
    int maxSide = roundUp(Math.max(px, py), m);
    if (tiling.maxSide() > 0) {
      maxSide = Math.min(maxSide, Math.max(m, tiling.maxSide() / m * m));
    }
    int overlapIn = roundUp(tiling.inPlaneOverlap(), m);
    int[] best = {1, Math.min(maxSide, roundUp(MIN_SIDE, m))};
    double bestWork = Double.MAX_VALUE;
    for (int depth = maxDepth; depth >= 1; depth--) {
      for (int side = maxSide; side >= m; side -= m) {
        if ((long) phases * depth * side * side > tiling.tileVoxels()
            || (depth < nz && depth <= tiling.zOverlap())
            || (side < Math.max(px, py) && side < overlapIn + m)) {
          continue;
        }
        int tx = Math.min(side, px);
        int ty = Math.min(side, py);
        long tiles =
            (long) starts(nz, depth, Math.min(tiling.zOverlap(), depth - 1), 1).length
                * starts(py, ty, Math.min(overlapIn, ty - m), m).length
                * starts(px, tx, Math.min(overlapIn, tx - m), m).length;
        double work = (double) tiles * depth * tx * ty;
        if (work < bestWork) {
          bestWork = work;
          best = new int[] {depth, side};
        }
        break;
      }
    }
    return best;
  }

  /**
   * Starts of tiles of {@code length} covering {@code 0 … size − 1}, overlapping by at least {@code
   * overlap}, multiples of {@code multiple}.
   */
  static int[] starts(int size, int length, int overlap, int multiple) {
    if (length >= size) {
      return new int[] {0};
    }
    int stride = Math.max(multiple, (length - overlap) / multiple * multiple);
    List<Integer> list = new ArrayList<>();
    int last = (size - length + multiple - 1) / multiple * multiple;
    for (int s = 0; s < last; s += stride) {
      list.add(s);
    }
    list.add(last);
    return list.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * Blending weights of the tile starting at {@code start} with {@code length} positions: 1 inside;
   * towards an edge that a neighbouring tile overlaps by O positions, ~0 (10⁻⁶) over the outer
   * quarter of the overlap, rising linearly over its middle half and 1 over its inner quarter. A
   * tile thus counts only where it is at least O/4 from its cut edges: where O/4 is at least the
   * network's reach, the blend equals the untiled result.
   */
  static float[] ramp(int start, int length, int[] starts) {
    int previous = Integer.MIN_VALUE;
    int next = Integer.MAX_VALUE;
    for (int s : starts) {
      if (s < start) {
        previous = Math.max(previous, s);
      } else if (s > start) {
        next = Math.min(next, s);
      }
    }
    float[] w = new float[length];
    for (int i = 0; i < length; i++) {
      float v = 1;
      if (previous != Integer.MIN_VALUE && previous + length > start + i) {
        v = Math.min(v, edgeWeight(i, previous + length - start));
      }
      if (next < start + length && start + i >= next) {
        v = Math.min(v, edgeWeight(length - 1 - i, start + length - next));
      }
      w[i] = v;
    }
    return w;
  }

  /** The weight at distance {@code d} from a cut edge whose overlap is {@code overlap}. */
  private static float edgeWeight(int d, int overlap) {
    int quarter = overlap / 4;
    if (d >= overlap - quarter) {
      return 1f;
    }
    return Math.max(1e-6f, (d - quarter + 1f) / (overlap - 2 * quarter + 1f));
  }

  private static void copyTile(
      float[] values,
      Input in,
      int x0,
      int y0,
      int z0,
      int w,
      int h,
      int d,
      float[] out,
      int offset) {
    int nx = in.nx();
    int ny = in.ny();
    float air = AIR_HU / in.scale();
    int j = offset;
    for (int z = 0; z < d; z++) {
      for (int y = 0; y < h; y++) {
        int gy = y0 + y;
        int row = nx * (gy + ny * (z0 + z));
        for (int x = 0; x < w; x++, j++) {
          int gx = x0 + x;
          out[j] = gx < nx && gy < ny ? values[row + gx] : air;
        }
      }
    }
  }

  /** One forward pass; input 1×2×T×d×h×w, output T×d×h×w. */
  private float[] forward(float[] input, int phases, int depth, int h, int w) {
    try (NDManager manager = loaded.model().getNDManager().newSubManager()) {
      NDArray x = manager.create(input, new Shape(1, 2, phases, depth, h, w));
      NDList out =
          loaded.network().forward(new ParameterStore(manager, false), new NDList(x), false);
      return out.singletonOrThrow().toFloatArray();
    }
  }

  private boolean switchToCpu() {
    if (!device().isGpu()) {
      return false;
    }
    Path dir = loaded.directory();
    loaded.close();
    try {
      loaded = Rstar4dModelFiles.load(dir, Device.cpu());
    } catch (IOException e) {
      throw new IllegalStateException("the model loaded before cannot be reloaded", e);
    }
    return true;
  }

  private static int roundUp(int v, int m) {
    return (v + m - 1) / m * m;
  }

  private static long lap(Map<String, Long> timings, String step, long start) {
    long now = System.nanoTime();
    timings.put(step, (now - start) / 1_000_000);
    return now;
  }

  @Override
  public void close() {
    loaded.close();
  }
}
