package org.voxelwise.segmentation.hdenseunet;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
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
import org.voxelwise.imaging.volume.LabelVolume;
import org.voxelwise.imaging.volume.LiverTumorLabels;
import org.voxelwise.imaging.volume.Volume;
import org.voxelwise.imaging.volume.ops.ConnectedComponents;
import org.voxelwise.imaging.volume.ops.ConnectedComponents.Connectivity;
import org.voxelwise.imaging.volume.ops.Morphology;
import org.voxelwise.imaging.volume.ops.Resampling;
import org.voxelwise.segmentation.engine.BatchScheduler;
import org.voxelwise.segmentation.engine.DeviceChoice;

/**
 * The liver/tumor pipeline around an {@link HDenseUNet}: from a CT volume of any geometry to a
 * {@link LabelVolume} on that same geometry, with 1 = liver and 2 = tumor ({@link
 * #LiverTumorLabels.TABLE}).
 *
 * <p>Steps, each timed ({@link Result#timingsMs()}, milliseconds, keys in this order):
 *
 * <ol>
 *   <li>{@code warmUp} (first use of a device in this process only): one small forward pass.
 *   <li>{@code resample}: trilinear onto a grid with the model's spacing ({@link
 *       HDenseUNetModelDirectory.Metadata#spacingMm()}), the input's axes and extent (air, −1024
 *       HU, outside); HU clipped to [−200, 250] and scaled to {@code (hu − 25) / 225}.
 *   <li>{@code localise} (the cascade's coarse step): the body is the largest 6-connected region
 *       above −400 HU and bounds the in-plane region of interest; then the model's 2D branch
 *       ({@link HDenseUNet.Stage#TWO_D}) runs on every {@value #COARSE_STEP}th slice (with its two
 *       neighbours) over the body; the largest 26-connected group of liver pixels, widened by
 *       {@value #MARGIN_Z_MM} mm along z and {@value #MARGIN_IN_PLANE_MM} mm in-plane, is where the
 *       full network runs. No liver there: the result is empty, with a warning.
 *   <li>{@code infer}: the full network on slabs of {@link HDenseUNetConfig#slabDepth()} slices
 *       sliding along z with at least 25 % overlap, over the region padded in-plane to multiples of
 *       {@link HDenseUNetConfig#inPlaneMultiple()} (air outside the volume); softmax probabilities
 *       averaged where slabs overlap.
 *   <li>{@code postprocess}: liver where p(liver) + p(tumor) ≥ the liver threshold, tumor where
 *       p(tumor) ≥ the tumor threshold (the paper's code: 0.5 and 0.9); the largest 26-connected
 *       liver component is kept (dropped, with a warning, when smaller than {@value #MIN_LIVER_ML}
 *       mL), its holes filled slice by slice and then in 3D; tumor is kept only within {@value
 *       #TUMOR_MARGIN_MM} mm of that liver.
 *   <li>{@code resampleBack}: nearest-neighbour onto the input's geometry.
 * </ol>
 *
 * <p>Device: as {@link DeviceChoice} says; on a GPU that runs out of memory the batch is halved,
 * then the model moves to the CPU, each with a warning ({@link #deviceName()} says where it ran
 * last). Not thread-safe: one segmentation at a time per instance. Close it to free the model.
 */
public final class LiverTumorSegmenter implements AutoCloseable {
  /** Smallest extent along z, in mm, of an input volume. */
  public static final double MIN_EXTENT_Z_MM = 32;

  /** Smallest number of pixels along each in-plane side of an input volume. */
  public static final int MIN_IN_PLANE = 64;

  /** The coarse step runs on every this many slices (of the model's grid). */
  public static final int COARSE_STEP = 4;

  /** Margin added along z to the coarse liver region, in mm. */
  public static final double MARGIN_Z_MM = 10;

  /** Margin added in-plane to the coarse liver region, in mm. */
  public static final double MARGIN_IN_PLANE_MM = 15;

  /** Livers smaller than this, in mL, are taken for noise and dropped. */
  public static final double MIN_LIVER_ML = 10;

  /** Tumor is kept within this distance of the liver, in mm. */
  public static final double TUMOR_MARGIN_MM = 5;

  /** Body threshold in HU. */
  static final float BODY_HU = -400;

  private static final float AIR_HU = -1024;
  private static final float AIR_INPUT = normalise(AIR_HU);
  private static final Set<String> WARMED = ConcurrentHashMap.newKeySet();

  private HDenseUNetModelDirectory.Loaded loaded;
  private final HDenseUNetModelDirectory.Metadata metadata;
  private int batch;

  private LiverTumorSegmenter(HDenseUNetModelDirectory.Loaded loaded) {
    this.loaded = loaded;
    this.metadata = loaded.metadata();
    this.batch = loaded.model().getNDManager().getDevice().isGpu() ? 4 : 1;
  }

  /**
   * Loads a model folder ({@link HDenseUNetModelDirectory}) onto the device {@code choice} picks.
   *
   * @throws BadInputException when the folder does not hold a usable model
   * @throws org.voxelwise.segmentation.engine.GpuUnavailableException for {@link DeviceChoice#GPU}
   *     on a machine where PyTorch sees no GPU
   */
  public static LiverTumorSegmenter open(Path modelDir, DeviceChoice choice)
      throws BadInputException {
    Device device = choice.select();
    return new LiverTumorSegmenter(HDenseUNetModelDirectory.load(modelDir, device));
  }

  /** What the model is and how it runs. */
  public HDenseUNetModelDirectory.Metadata metadata() {
    return metadata;
  }

  /** Where the model runs now: {@code "cpu"} or {@code "gpu"}, as {@code report.json} says. */
  public String deviceName() {
    return DeviceChoice.reportName(device());
  }

  private Device device() {
    return loaded.model().getNDManager().getDevice();
  }

  /**
   * The outcome of one segmentation.
   *
   * @param labels on the input's geometry, values 0, {@link #LiverTumorLabels.LIVER}, {@link
   *     #LiverTumorLabels.TUMOR}, table {@link #LiverTumorLabels.TABLE}
   * @param device where the network ran, {@code "cpu"} or {@code "gpu"}
   * @param timingsMs milliseconds per step, in the order they ran
   * @param warnings what the user should know about this result
   */
  public record Result(
      LabelVolume labels, String device, Map<String, Long> timingsMs, List<String> warnings) {}

  /**
   * Segments liver and tumors.
   *
   * @param ct the CT volume, HU, any geometry the importer produces
   * @param source how the user would name the input (a file or series), for messages
   * @param progress receives progress and is asked for cancellation between slabs
   * @throws BadInputException for a single slice, a volume below {@value #MIN_EXTENT_Z_MM} mm along
   *     z or {@value #MIN_IN_PLANE} pixels in-plane, or a modality other than CT
   * @throws org.voxelwise.imaging.progress.OperationCancelledException when cancelled
   */
  public Result segment(Volume ct, String source, ProgressListener progress)
      throws BadInputException {
    List<String> warnings = new ArrayList<>();
    validate(ct, source, warnings);
    Map<String, Long> timings = new LinkedHashMap<>();
    long t = System.nanoTime();
    if (WARMED.add(device().toString())) {
      progress.update(0, "Warming up the model on the " + deviceName());
      int m = config().inPlaneMultiple();
      forward(new float[config().slabDepth() * m * m], 1, config().slabDepth(), m, m);
      t = lap(timings, "warmUp", t);
    }

    progress.update(0.01, "Resampling to the model's spacing");
    Geometry grid = modelGrid(ct.geometry(), metadata.spacingMm());
    float[] hu =
        ct.geometry().sameGrid(grid, 1e-6)
            ? ct.toFloatArray()
            : Resampling.trilinear(ct, grid, AIR_HU).toFloatArray();
    Grid g = new Grid(grid, hu);
    t = lap(timings, "resample", t);
    progress.checkCancelled();

    Box roi = localise(g, progress.part(0.05, 0.2), warnings);
    t = lap(timings, "localise", t);
    byte[] labels = new byte[hu.length];
    if (roi != null) {
      float[][] prob = infer(g, roi, progress.part(0.2, 0.9), warnings);
      t = lap(timings, "infer", t);
      progress.update(0.9, "Post-processing");
      postprocess(g, roi, prob, labels, warnings);
      t = lap(timings, "postprocess", t);
    }
    progress.update(0.97, "Resampling the labels to the input's grid");
    byte[] back =
        ct.geometry().sameGrid(grid, 1e-6)
            ? labels
            : Resampling.nearest(labels, grid, ct.geometry());
    lap(timings, "resampleBack", t);
    progress.update(1, "Segmented");
    return new Result(
        new LabelVolume(ct.geometry(), back, LiverTumorLabels.TABLE),
        deviceName(),
        Collections.unmodifiableMap(timings),
        List.copyOf(warnings));
  }

  @Override
  public void close() {
    loaded.close();
  }

  private HDenseUNetConfig config() {
    return metadata.config();
  }

  private static long lap(Map<String, Long> timings, String step, long start) {
    long now = System.nanoTime();
    timings.put(step, (now - start) / 1_000_000);
    return now;
  }

  static void validate(Volume ct, String source, List<String> warnings) throws BadInputException {
    Geometry g = ct.geometry();
    String modality = ct.modality().strip().toUpperCase(Locale.ROOT);
    if (!modality.isEmpty() && !modality.equals("CT")) {
      throw new BadInputException(
          source, "modality " + ct.modality() + ": the liver/tumor model needs a CT volume");
    }
    if (modality.isEmpty()) {
      warnings.add("the input does not say its modality; it was taken for CT (HU)");
    }
    if (g.sizeZ() == 1) {
      throw new BadInputException(
          source, "a single 2D image; liver/tumor segmentation needs a volume of slices");
    }
    double extentZ = g.sizeZ() * g.spacingMm()[2];
    if (extentZ < MIN_EXTENT_Z_MM) {
      throw new BadInputException(
          source,
          String.format(
              Locale.ROOT,
              "the volume covers only %.1f mm along z (%d slices); at least %.0f mm are needed",
              extentZ,
              g.sizeZ(),
              MIN_EXTENT_Z_MM));
    }
    if (g.sizeX() < MIN_IN_PLANE || g.sizeY() < MIN_IN_PLANE) {
      throw new BadInputException(
          source,
          "slices of "
              + g.sizeX()
              + "×"
              + g.sizeY()
              + " pixels are too small; at least "
              + MIN_IN_PLANE
              + "×"
              + MIN_IN_PLANE
              + " are needed");
    }
  }

  /**
   * The grid the model runs on: the input's axes and extent (edges aligned) with the model's
   * spacing.
   */
  static Geometry modelGrid(Geometry g, double[] spacingMm) {
    double[] s = g.spacingMm();
    int[] size = {g.sizeX(), g.sizeY(), g.sizeZ()};
    double[][] axes = {g.axisX(), g.axisY(), g.axisZ()};
    double[] origin = g.originMm();
    int[] n = new int[3];
    for (int a = 0; a < 3; a++) {
      n[a] = Math.max(1, (int) Math.round(size[a] * s[a] / spacingMm[a]));
      double shift = (spacingMm[a] - s[a]) / 2;
      for (int c = 0; c < 3; c++) {
        origin[c] += shift * axes[a][c];
      }
    }
    return new Geometry(n[0], n[1], n[2], spacingMm, origin, axes[0], axes[1], axes[2]);
  }

  static float normalise(float hu) {
    return (Math.max(-200f, Math.min(250f, hu)) - 25f) / 225f;
  }

  /** The resampled volume, HU, on the model's grid. */
  private record Grid(Geometry geometry, float[] hu) {
    int nx() {
      return geometry.sizeX();
    }

    int ny() {
      return geometry.sizeY();
    }

    int nz() {
      return geometry.sizeZ();
    }
  }

  /** A region of the model's grid: x0..x0+w−1, y0..y0+h−1, z0..z0+d−1 (may reach outside). */
  record Box(int x0, int y0, int z0, int w, int h, int d) {}

  private Box localise(Grid g, ProgressListener progress, List<String> warnings) {
    progress.update(0, "Finding the body");
    boolean[] body = new boolean[g.hu().length];
    for (int i = 0; i < body.length; i++) {
      body[i] = g.hu()[i] > BODY_HU;
    }
    body = ConnectedComponents.largest(body, g.nx(), g.ny(), g.nz(), Connectivity.SIX);
    int[] bb = boundingBox(body, g.nx(), g.ny(), g.nz());
    if (bb == null) {
      warnings.add("no body found (nothing above " + (int) BODY_HU + " HU): no liver");
      return null;
    }
    int m = config().inPlaneMultiple();
    int[] xs = padded(bb[0], bb[3], m);
    int[] ys = padded(bb[1], bb[4], m);
    int w = xs[1];
    int h = ys[1];

    List<Integer> sampled = new ArrayList<>();
    for (int z = Math.min(COARSE_STEP / 2, g.nz() - 1); z < g.nz(); z += COARSE_STEP) {
      sampled.add(z);
    }
    int plane = w * h;
    boolean[] coarse = new boolean[plane * sampled.size()];
    loaded.network().setStage(HDenseUNet.Stage.TWO_D);
    try {
      BatchScheduler.run(
          sampled.size(),
          batch * 2,
          (first, count) -> {
            float[] input = new float[count * 3 * plane];
            for (int b = 0; b < count; b++) {
              int z = sampled.get(first + b);
              for (int dz = -1; dz <= 1; dz++) {
                int zz = Math.max(0, Math.min(g.nz() - 1, z + dz));
                copySlice(g, zz, xs[0], ys[0], w, h, input, (b * 3 + dz + 1) * plane);
              }
            }
            float[] p = forward(input, count, 3, h, w);
            for (int b = 0; b < count; b++) {
              // middle slice (1) of slab b: p[b][c][1][y][x]
              int liver = ((b * 3 + 1) * 3 + 1) * plane;
              int tumor = ((b * 3 + 2) * 3 + 1) * plane;
              for (int i = 0; i < plane; i++) {
                coarse[(first + b) * plane + i] =
                    p[liver + i] + p[tumor + i] >= metadata.liverThreshold();
              }
            }
          },
          this::switchToCpu,
          warnings,
          () -> progress.checkCancelled());
    } finally {
      loaded.network().setStage(HDenseUNet.Stage.END_TO_END);
    }
    boolean[] liver =
        ConnectedComponents.largest(coarse, w, h, sampled.size(), Connectivity.TWENTY_SIX);
    int[] lb = boundingBox(liver, w, h, sampled.size());
    if (lb == null) {
      warnings.add("the coarse pass found no liver");
      return null;
    }
    double[] s = g.geometry().spacingMm();
    int mx = (int) Math.ceil(MARGIN_IN_PLANE_MM / s[0]);
    int my = (int) Math.ceil(MARGIN_IN_PLANE_MM / s[1]);
    int mz = (int) Math.ceil(MARGIN_Z_MM / s[2]) + COARSE_STEP;
    int x0 = Math.max(0, xs[0] + lb[0] - mx);
    int x1 = Math.min(g.nx() - 1, xs[0] + lb[3] + mx);
    int y0 = Math.max(0, ys[0] + lb[1] - my);
    int y1 = Math.min(g.ny() - 1, ys[0] + lb[4] + my);
    int z0 = Math.max(0, sampled.get(lb[2]) - mz);
    int z1 = Math.min(g.nz() - 1, sampled.get(lb[5]) + mz);
    int depth = config().slabDepth();
    if (z1 - z0 + 1 < depth) {
      int missing = depth - (z1 - z0 + 1);
      z0 = Math.max(0, z0 - (missing + 1) / 2);
      z1 = Math.min(g.nz() - 1, z0 + depth - 1);
      z0 = Math.max(0, z1 - depth + 1);
    }
    int[] fx = padded(x0, x1, m);
    int[] fy = padded(y0, y1, m);
    progress.update(1, "Liver located");
    return new Box(fx[0], fy[0], z0, fx[1], fy[1], z1 - z0 + 1);
  }

  /** Start and size of the range lo..hi grown symmetrically to a multiple of m. */
  private static int[] padded(int lo, int hi, int m) {
    int n = hi - lo + 1;
    int size = Math.max(m, (n + m - 1) / m * m);
    return new int[] {lo - (size - n) / 2, size};
  }

  private static int[] boundingBox(boolean[] mask, int nx, int ny, int nz) {
    int[] bb = {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, -1, -1, -1};
    int i = 0;
    for (int z = 0; z < nz; z++) {
      for (int y = 0; y < ny; y++) {
        for (int x = 0; x < nx; x++, i++) {
          if (mask[i]) {
            bb[0] = Math.min(bb[0], x);
            bb[1] = Math.min(bb[1], y);
            bb[2] = Math.min(bb[2], z);
            bb[3] = Math.max(bb[3], x);
            bb[4] = Math.max(bb[4], y);
            bb[5] = Math.max(bb[5], z);
          }
        }
      }
    }
    return bb[3] < 0 ? null : bb;
  }

  /** Copies slice z of the region (x0, y0, w, h), normalised, air outside the grid. */
  private static void copySlice(
      Grid g, int z, int x0, int y0, int w, int h, float[] out, int offset) {
    for (int y = 0; y < h; y++) {
      int gy = y0 + y;
      for (int x = 0; x < w; x++) {
        int gx = x0 + x;
        boolean inside = gx >= 0 && gy >= 0 && gx < g.nx() && gy < g.ny() && z >= 0 && z < g.nz();
        out[offset + y * w + x] =
            inside ? normalise(g.hu()[gx + g.nx() * (gy + g.ny() * z)]) : AIR_INPUT;
      }
    }
  }

  /**
   * Softmax probabilities per class over the region, averaged over the slabs covering each slice.
   */
  private float[][] infer(Grid g, Box roi, ProgressListener progress, List<String> warnings) {
    int depth = config().slabDepth();
    int classes = config().classes();
    int plane = roi.w() * roi.h();
    int stride = Math.max(1, depth - (depth + 3) / 4);
    List<Integer> starts = new ArrayList<>();
    int last = Math.max(0, roi.d() - depth);
    for (int s = 0; s < last; s += stride) {
      starts.add(s);
    }
    starts.add(last);
    float[][] sum = new float[classes][plane * roi.d()];
    int[] covered = new int[roi.d()];
    int[] done = {0};
    progress.update(0, "Segmenting " + starts.size() + " slabs");
    BatchScheduler.run(
        starts.size(),
        batch,
        (first, count) -> {
          float[] input = new float[count * depth * plane];
          for (int b = 0; b < count; b++) {
            int s0 = starts.get(first + b);
            for (int dz = 0; dz < depth; dz++) {
              copySlice(
                  g,
                  roi.z0() + s0 + dz,
                  roi.x0(),
                  roi.y0(),
                  roi.w(),
                  roi.h(),
                  input,
                  (b * depth + dz) * plane);
            }
          }
          float[] p = forward(input, count, depth, roi.h(), roi.w());
          for (int b = 0; b < count; b++) {
            int s0 = starts.get(first + b);
            for (int dz = 0; dz < depth && s0 + dz < roi.d(); dz++) {
              covered[s0 + dz]++;
              for (int c = 0; c < classes; c++) {
                int from = ((b * classes + c) * depth + dz) * plane;
                int to = (s0 + dz) * plane;
                float[] acc = sum[c];
                for (int i = 0; i < plane; i++) {
                  acc[to + i] += p[from + i];
                }
              }
            }
          }
          done[0] += count;
        },
        this::switchToCpu,
        warnings,
        () -> {
          progress.update((double) done[0] / starts.size(), "Segmenting slabs");
          progress.checkCancelled();
        });
    for (int z = 0; z < roi.d(); z++) {
      float f = 1f / covered[z];
      for (float[] acc : sum) {
        for (int i = z * plane; i < (z + 1) * plane; i++) {
          acc[i] *= f;
        }
      }
    }
    return sum;
  }

  private void postprocess(Grid g, Box roi, float[][] prob, byte[] labels, List<String> warnings) {
    int n = roi.w() * roi.h() * roi.d();
    boolean[] liver = new boolean[n];
    boolean[] tumor = new boolean[n];
    int i = 0;
    for (int z = 0; z < roi.d(); z++) {
      for (int y = 0; y < roi.h(); y++) {
        for (int x = 0; x < roi.w(); x++, i++) {
          int gx = roi.x0() + x;
          int gy = roi.y0() + y;
          if (gx < 0 || gy < 0 || gx >= g.nx() || gy >= g.ny()) {
            continue;
          }
          float pt = prob[LiverTumorLabels.TUMOR][i];
          liver[i] = prob[LiverTumorLabels.LIVER][i] + pt >= metadata.liverThreshold();
          tumor[i] = pt >= metadata.tumorThreshold();
        }
      }
    }
    liver = ConnectedComponents.largest(liver, roi.w(), roi.h(), roi.d(), Connectivity.TWENTY_SIX);
    double[] s = g.geometry().spacingMm();
    double voxelMl = s[0] * s[1] * s[2] / 1000;
    long count = 0;
    for (boolean b : liver) {
      count += b ? 1 : 0;
    }
    if (count * voxelMl < MIN_LIVER_ML) {
      warnings.add(
          String.format(
              Locale.ROOT,
              "no liver found (largest candidate %.1f mL, below %.0f mL)",
              count * voxelMl,
              MIN_LIVER_ML));
      return;
    }
    liver = Morphology.fillHoles2d(liver, roi.w(), roi.h(), roi.d());
    liver = Morphology.fillHoles3d(liver, roi.w(), roi.h(), roi.d());
    Geometry roiGrid = Geometry.axisAligned(roi.w(), roi.h(), roi.d(), s, new double[] {0, 0, 0});
    boolean[] near = Morphology.dilateMm(liver, roiGrid, TUMOR_MARGIN_MM);
    i = 0;
    for (int z = 0; z < roi.d(); z++) {
      for (int y = 0; y < roi.h(); y++) {
        for (int x = 0; x < roi.w(); x++, i++) {
          int gx = roi.x0() + x;
          int gy = roi.y0() + y;
          int gz = roi.z0() + z;
          if (gx < 0 || gy < 0 || gx >= g.nx() || gy >= g.ny()) {
            continue;
          }
          int label =
              tumor[i] && near[i] ? LiverTumorLabels.TUMOR : liver[i] ? LiverTumorLabels.LIVER : 0;
          labels[gx + g.nx() * (gy + g.ny() * gz)] = (byte) label;
        }
      }
    }
  }

  /**
   * One forward pass; returns the softmax probabilities, {@code batch × classes × depth × h × w}.
   */
  private float[] forward(float[] input, int count, int depth, int h, int w) {
    HDenseUNet net = loaded.network();
    try (NDManager manager = loaded.model().getNDManager().newSubManager()) {
      NDList out =
          net.forward(
              new ParameterStore(manager, false),
              new NDList(manager.create(input, new Shape(count, 1, depth, h, w))),
              false);
      return out.get(0).softmax(1).toFloatArray();
    }
  }

  private boolean switchToCpu() {
    if (!device().isGpu()) {
      return false;
    }
    HDenseUNet.Stage stage = loaded.network().stage();
    Path dir = loaded.directory();
    loaded.close();
    try {
      loaded = HDenseUNetModelDirectory.load(dir, Device.cpu());
    } catch (BadInputException e) {
      throw new IllegalStateException("the model loaded before cannot be reloaded", e);
    }
    loaded.network().setStage(stage);
    batch = 1;
    return true;
  }
}
