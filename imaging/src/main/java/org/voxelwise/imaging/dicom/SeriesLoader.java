package org.voxelwise.imaging.dicom;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.voxelwise.imaging.BadInputException;
import org.voxelwise.imaging.dicom.SliceLayout.Layout;
import org.voxelwise.imaging.dicom.SliceLayout.Slice;
import org.voxelwise.imaging.progress.ProgressListener;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.Volume;
import org.voxelwise.imaging.volume.Volume4D;

/**
 * Loads a series into a volume in real values (HU for CT).
 *
 * <p>Slices are put in order by their position along the slice normal (never by file name or
 * instance number while positions exist); spacing comes from the positions; origin and direction
 * cosines are kept. Localizers, images of another orientation and images of a minority size are
 * left out with a warning; duplicate positions, gaps, non-uniform spacing and gantry tilt are
 * reported. A series whose images carry several temporal positions (TemporalPositionIndex,
 * TemporalPositionIdentifier, TriggerTime, or per-frame in enhanced multi-frame images) at repeated
 * slice positions becomes a 4D volume. Pixel data is decoded in parallel; an image whose pixel data
 * cannot be decoded leaves its slice at the volume's lowest value, with a warning naming the file.
 */
public final class SeriesLoader {
  private SeriesLoader() {}

  /**
   * @throws BadInputException when the series has no decodable image at all, or its phases do not
   *     share one grid
   * @throws org.voxelwise.imaging.progress.OperationCancelledException when cancelled
   */
  public static LoadedSeries load(DicomIndex.Series series, ProgressListener progress)
      throws BadInputException {
    String name = nameOf(series);
    List<String> warnings = new ArrayList<>();
    List<Layout> layouts = layouts(series, warnings);
    Geometry grid = layouts.get(0).geometry();
    for (int p = 1; p < layouts.size(); p++) {
      if (!layouts.get(p).geometry().sameGrid(grid, 0.05)) {
        throw new BadInputException(
            name,
            "its "
                + layouts.size()
                + " temporal phases do not share one grid (phase 1: "
                + grid.sizeZ()
                + " slices, phase "
                + (p + 1)
                + ": "
                + layouts.get(p).geometry().sizeZ()
                + " slices)");
      }
    }
    List<Volume> volumes = decode(layouts, series.modality(), name, warnings, progress, true);
    List<String> labels = new ArrayList<>();
    for (Layout layout : layouts) {
      Double key = layout.slices().get(0).frame().temporalKey();
      labels.add(layouts.size() > 1 ? "phase " + format(key) : "");
    }
    return new LoadedSeries(
        series.seriesInstanceUid(), series.description(), new Volume4D(volumes, labels), warnings);
  }

  /**
   * How {@link #load} arranges a series, from its headers alone: one layout per temporal phase,
   * whose slice {@code z} is the image that becomes slice {@code z} of that phase's volume.
   *
   * @param warnings receives what {@link LoadedSeries#warnings()} would say about the arrangement
   * @throws BadInputException when the series has no usable image
   */
  static List<Layout> layouts(DicomIndex.Series series, List<String> warnings)
      throws BadInputException {
    List<List<Slice>> phaseSlices = splitPhases(usableSlices(series, nameOf(series), warnings));
    List<Layout> layouts = new ArrayList<>();
    for (List<Slice> phase : phaseSlices) {
      List<String> phaseWarnings = new ArrayList<>();
      layouts.add(SliceLayout.arrange(phase, phaseWarnings));
      for (String w : phaseWarnings) {
        String prefixed = phaseSlices.size() > 1 ? "phase " + layouts.size() + ": " + w : w;
        warnings.add(prefixed);
      }
    }
    return layouts;
  }

  /**
   * Loads a 4D study stored as one series per phase (see {@link PhaseGrouping}), each series one
   * phase, in the given order.
   *
   * @throws BadInputException when a series cannot be loaded or the phases differ in grid
   */
  public static LoadedSeries loadPhases(
      List<DicomIndex.Series> phaseSeries, ProgressListener progress) throws BadInputException {
    if (phaseSeries.isEmpty()) {
      throw new IllegalArgumentException("no phase series");
    }
    List<Volume> volumes = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    int n = phaseSeries.size();
    for (int i = 0; i < n; i++) {
      DicomIndex.Series s = phaseSeries.get(i);
      LoadedSeries one = load(s, progress.part((double) i / n, (double) (i + 1) / n));
      if (one.is4D()) {
        throw new BadInputException(nameOf(s), "is itself 4D; cannot be one phase of a 4D study");
      }
      if (!volumes.isEmpty()
          && !one.volume().geometry().sameGrid(volumes.get(0).geometry(), 0.05)) {
        throw new BadInputException(
            nameOf(s), "does not lie on the grid of the first phase " + nameOf(phaseSeries.get(0)));
      }
      volumes.add(one.volume());
      Double key = s.instances().get(0).frames().get(0).temporalKey();
      labels.add(key == null ? s.description() : "phase " + format(key));
      one.warnings().forEach(w -> warnings.add(nameOf(s) + ": " + w));
    }
    DicomIndex.Series first = phaseSeries.get(0);
    return new LoadedSeries(
        first.seriesInstanceUid(), first.description(), new Volume4D(volumes, labels), warnings);
  }

  /** How a series is named in messages: its folder, number and description. */
  static String nameOf(DicomIndex.Series series) {
    Path folder = series.instances().get(0).file().toAbsolutePath().getParent();
    String description = series.description().isEmpty() ? "" : " \"" + series.description() + "\"";
    return folder + " series " + series.seriesNumber() + description;
  }

  /** All frames with pixel data, less localizers and images of a minority orientation or size. */
  private static List<Slice> usableSlices(
      DicomIndex.Series series, String name, List<String> warnings) throws BadInputException {
    List<Slice> slices = new ArrayList<>();
    int localizers = 0;
    List<String> invalid = new ArrayList<>();
    for (InstanceHeader h : series.instances()) {
      if (!h.hasPixelData()) {
        continue;
      }
      if (h.rows() < 1 || h.columns() < 1) {
        invalid.add(h.file() + " (" + h.rows() + " rows × " + h.columns() + " columns)");
        continue;
      }
      if (h.isLocalizer()) {
        localizers++;
        continue;
      }
      for (FrameHeader f : h.frames()) {
        slices.add(new Slice(h, f));
      }
    }
    if (!invalid.isEmpty()) {
      warnings.add(
          invalid.size()
              + " image(s) without a valid size left out: "
              + String.join(", ", invalid));
    }
    if (slices.isEmpty()) {
      String what =
          !invalid.isEmpty()
              ? "has no image of a valid size (" + invalid.get(0) + ")"
              : localizers > 0
                  ? "has only localizer images (" + localizers + ")"
                  : "has no pixel data ("
                      + series.instances().size()
                      + " object(s) of SOP class "
                      + series.instances().get(0).sopClassUid()
                      + ")";
      throw new BadInputException(name, what);
    }
    if (localizers > 0) {
      warnings.add(localizers + " localizer image(s) left out");
    }
    slices =
        keepMajority(
            slices, s -> s.instance().rows() + "×" + s.instance().columns(), "size", warnings);
    slices =
        keepMajority(slices, s -> orientationKey(s.frame().orientation()), "orientation", warnings);
    return slices;
  }

  private static List<Slice> keepMajority(
      List<Slice> slices, Function<Slice, String> key, String what, List<String> warnings) {
    Map<String, List<Slice>> groups =
        slices.stream()
            .collect(Collectors.groupingBy(key, LinkedHashMap::new, Collectors.toList()));
    if (groups.size() == 1) {
      return slices;
    }
    Map.Entry<String, List<Slice>> majority =
        Collections.max(groups.entrySet(), Comparator.comparingInt(e -> e.getValue().size()));
    List<String> others = new ArrayList<>();
    groups.forEach(
        (k, v) -> {
          if (v != majority.getValue()) {
            others.add(v.size() + " of " + what + " " + k + " (e.g. " + v.get(0).where() + ")");
          }
        });
    warnings.add(
        "mixed image "
            + what
            + "s: kept "
            + majority.getValue().size()
            + " of "
            + what
            + " "
            + majority.getKey()
            + ", left out "
            + String.join(", ", others));
    return majority.getValue();
  }

  private static String orientationKey(double[] o) {
    if (o == null) {
      return "unknown";
    }
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < o.length; i++) {
      b.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.3f", o[i] + 0.0));
    }
    return b.append(']').toString();
  }

  /**
   * Splits slices into temporal phases when they carry several temporal keys and positions repeat
   * across keys (each key then being one full stack); otherwise one phase.
   */
  private static List<List<Slice>> splitPhases(List<Slice> slices) {
    Map<Double, List<Slice>> byKey = new TreeMap<>();
    for (Slice s : slices) {
      if (s.frame().temporalKey() == null || s.frame().positionMm() == null) {
        return List.of(slices);
      }
      byKey.computeIfAbsent(s.frame().temporalKey(), k -> new ArrayList<>()).add(s);
    }
    if (byKey.size() < 2) {
      return List.of(slices);
    }
    long distinctPositions =
        slices.stream().map(s -> positionKey(s.frame().positionMm())).distinct().count();
    if (distinctPositions == slices.size()) {
      return List.of(slices); // every slice elsewhere: a 3D series whose slices differ in time
    }
    return new ArrayList<>(byKey.values());
  }

  private static String positionKey(double[] p) {
    return String.format(Locale.ROOT, "%.2f/%.2f/%.2f", p[0], p[1], p[2]);
  }

  /** Decodes every instance once (in parallel) and writes its frames where the layouts put them. */
  private static List<Volume> decode(
      List<Layout> layouts,
      String modality,
      String name,
      List<String> warnings,
      ProgressListener progress,
      boolean allowShorts)
      throws BadInputException {
    Geometry g = layouts.get(0).geometry();
    int plane = g.sizeX() * g.sizeY();
    Map<InstanceHeader, List<int[]>> targets = new IdentityHashMap<>(); // {frame, phase, z}
    boolean integral = true;
    for (int p = 0; p < layouts.size(); p++) {
      List<Slice> ordered = layouts.get(p).slices();
      for (int z = 0; z < ordered.size(); z++) {
        Slice s = ordered.get(z);
        targets
            .computeIfAbsent(s.instance(), k -> new ArrayList<>())
            .add(new int[] {s.frame().frameIndex(), p, z});
        integral &=
            isIntegral(s.frame().rescaleSlope()) && isIntegral(s.frame().rescaleIntercept());
      }
    }
    boolean asShort = integral && allowShorts;
    short[][] shorts = asShort ? new short[layouts.size()][(int) g.voxelCount()] : null;
    float[][] floats = asShort ? null : new float[layouts.size()][(int) g.voxelCount()];
    AtomicBoolean overflow = new AtomicBoolean();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    List<Slice>[] slicesByPhase = layoutsSlices(layouts);
    AtomicInteger done = new AtomicInteger();
    int total = targets.size();
    ForkJoinPool pool = new ForkJoinPool(Runtime.getRuntime().availableProcessors());
    try {
      pool.submit(
              () ->
                  targets.entrySet().parallelStream()
                      .forEach(
                          e -> {
                            progress.checkCancelled();
                            InstanceHeader h = e.getKey();
                            try {
                              short[] stored = PixelDecoder.storedValues(h);
                              for (int[] t : e.getValue()) {
                                FrameHeader f = slicesByPhase[t[1]].get(t[2]).frame();
                                int from = t[0] * plane;
                                int to = t[2] * plane;
                                if (shorts != null) {
                                  if (!rescaleToShorts(
                                      h, f, stored, from, shorts[t[1]], to, plane)) {
                                    overflow.set(true);
                                  }
                                } else {
                                  rescaleToFloats(h, f, stored, from, floats[t[1]], to, plane);
                                }
                              }
                            } catch (PixelDecoder.DecodeException ex) {
                              failures.add(h.file() + ": " + ex.getMessage());
                              markFailed(e.getValue(), shorts, floats, plane);
                            }
                            int n = done.incrementAndGet();
                            if (n % 8 == 0 || n == total) {
                              progress.update(
                                  (double) n / total, "Decoding images " + n + "/" + total);
                            }
                          }))
          .join();
    } finally {
      pool.shutdown();
    }
    if (overflow.get()) {
      // Values beyond 16 bits after rescaling: decode again as floats.
      return decode(layouts, modality, name, warnings, progress, false);
    }
    if (failures.size() == total) {
      throw new BadInputException(
          name, "no image could be decoded: " + failures.stream().sorted().findFirst().orElse(""));
    }
    failures.stream()
        .sorted()
        .forEach(f -> warnings.add(f + "; its slice is left blank (the volume's lowest value)"));
    if (!failures.isEmpty()) {
      fillFailed(shorts, floats); // two passes over the whole volume: only when needed
    }
    List<Volume> volumes = new ArrayList<>();
    for (int p = 0; p < layouts.size(); p++) {
      Geometry pg = layouts.get(p).geometry();
      volumes.add(
          shorts != null
              ? Volume.ofShorts(pg, modality, shorts[p])
              : Volume.ofFloats(pg, modality, floats[p]));
    }
    return volumes;
  }

  @SuppressWarnings("unchecked")
  private static List<Slice>[] layoutsSlices(List<Layout> layouts) {
    List<Slice>[] result = new List[layouts.size()];
    for (int p = 0; p < layouts.size(); p++) {
      result[p] = layouts.get(p).slices();
    }
    return result;
  }

  /** Marker for slices that could not be decoded, replaced by the lowest value at the end. */
  private static final short FAILED_SHORT = Short.MIN_VALUE;

  private static void markFailed(
      List<int[]> targets, short[][] shorts, float[][] floats, int plane) {
    for (int[] t : targets) {
      if (shorts != null) {
        java.util.Arrays.fill(shorts[t[1]], t[2] * plane, (t[2] + 1) * plane, FAILED_SHORT);
      } else {
        java.util.Arrays.fill(floats[t[1]], t[2] * plane, (t[2] + 1) * plane, Float.NaN);
      }
    }
  }

  private static void fillFailed(short[][] shorts, float[][] floats) {
    if (shorts != null) {
      short min = Short.MAX_VALUE;
      for (short[] a : shorts) {
        for (short v : a) {
          if (v != FAILED_SHORT && v < min) {
            min = v;
          }
        }
      }
      for (short[] a : shorts) {
        for (int i = 0; i < a.length; i++) {
          if (a[i] == FAILED_SHORT) {
            a[i] = min;
          }
        }
      }
    } else {
      float min = Float.MAX_VALUE;
      for (float[] a : floats) {
        for (float v : a) {
          if (v < min) {
            min = v;
          }
        }
      }
      for (float[] a : floats) {
        for (int i = 0; i < a.length; i++) {
          if (Float.isNaN(a[i])) {
            a[i] = min;
          }
        }
      }
    }
  }

  private static boolean isIntegral(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e6;
  }

  /** Converts one frame; returns false when a value does not fit in 16 bits. */
  private static boolean rescaleToShorts(
      InstanceHeader h, FrameHeader f, short[] stored, int from, short[] out, int to, int n) {
    int slope = (int) f.rescaleSlope();
    int intercept = (int) f.rescaleIntercept();
    int bits = h.bitsAllocated() == 8 ? 8 : Math.max(1, Math.min(16, h.bitsStored()));
    boolean signed = h.pixelRepresentation() == 1;
    boolean ok = true;
    if (bits == 16 && slope == 1) {
      for (int i = 0; i < n; i++) {
        int raw = signed ? stored[from + i] : stored[from + i] & 0xffff;
        int v = raw + intercept;
        if (v != (short) v || v == FAILED_SHORT) {
          ok = false;
        }
        out[to + i] = (short) v;
      }
      return ok;
    }
    for (int i = 0; i < n; i++) {
      int v = storedValue(stored[from + i], bits, signed) * slope + intercept;
      if (v != (short) v || v == FAILED_SHORT) {
        ok = false;
      }
      out[to + i] = (short) v;
    }
    return ok;
  }

  private static void rescaleToFloats(
      InstanceHeader h, FrameHeader f, short[] stored, int from, float[] out, int to, int n) {
    double slope = f.rescaleSlope();
    double intercept = f.rescaleIntercept();
    int bits = h.bitsAllocated() == 8 ? 8 : Math.max(1, Math.min(16, h.bitsStored()));
    boolean signed = h.pixelRepresentation() == 1;
    for (int i = 0; i < n; i++) {
      out[to + i] = (float) (storedValue(stored[from + i], bits, signed) * slope + intercept);
    }
  }

  /** The value of the low {@code bits} bits of a stored word, signed or not. */
  static int storedValue(short word, int bits, boolean signed) {
    int v = word & ((1 << bits) - 1);
    if (signed && (v & (1 << (bits - 1))) != 0) {
      v -= 1 << bits;
    }
    return v;
  }

  static String format(Double key) {
    if (key == null) {
      return "?";
    }
    return key == Math.rint(key) ? String.valueOf(key.longValue()) : key.toString();
  }
}
