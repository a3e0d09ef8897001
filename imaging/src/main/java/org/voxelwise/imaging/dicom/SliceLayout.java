package org.voxelwise.imaging.dicom;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.voxelwise.imaging.volume.Geometry;

/**
 * Puts the slices of one phase in order along the slice normal and derives the volume's geometry
 * from their positions, reporting duplicates, gaps, non-uniform spacing and gantry tilt.
 */
final class SliceLayout {
  static final double POSITION_TOLERANCE_MM = 0.01;
  private static final int MAX_LISTED = 5;

  /** One image frame of an instance. */
  record Slice(InstanceHeader instance, FrameHeader frame) {
    String where() {
      return instance.frameCount() > 1
          ? instance.file() + " frame " + (frame.frameIndex() + 1)
          : instance.file().toString();
    }
  }

  /** The slices in volume order (index = z) and the grid they lie on. */
  record Layout(List<Slice> slices, Geometry geometry) {}

  private SliceLayout() {}

  /**
   * @param slices one phase's slices, all of one size and orientation
   * @param warnings receives what was found, each naming where
   */
  static Layout arrange(List<Slice> slices, List<String> warnings) {
    Slice first = slices.get(0);
    double[] o = first.frame().orientation();
    double[] axisX = o == null ? new double[] {1, 0, 0} : new double[] {o[0], o[1], o[2]};
    double[] axisY = o == null ? new double[] {0, 1, 0} : new double[] {o[3], o[4], o[5]};
    double[] normal = normalize(cross(axisX, axisY));
    if (o == null) {
      warnings.add("no ImageOrientationPatient: axial orientation assumed");
    }
    double[] ps = first.frame().pixelSpacingMm();
    double spacingX = ps == null ? 1 : ps[1];
    double spacingY = ps == null ? 1 : ps[0];
    if (ps == null || !(spacingX > 0) || !(spacingY > 0)) {
      warnings.add("no valid PixelSpacing: 1 mm assumed in-plane");
      spacingX = 1;
      spacingY = 1;
    }
    boolean positioned = slices.stream().allMatch(s -> s.frame().positionMm() != null);
    List<Slice> ordered = new ArrayList<>(slices);
    if (!positioned) {
      ordered.sort(
          Comparator.comparingInt((Slice s) -> s.instance().instanceNumber())
              .thenComparingInt(s -> s.frame().frameIndex()));
      if (ordered.size() > 1) {
        warnings.add(
            "no ImagePositionPatient on some images: slices ordered by instance number, 1 mm slice"
                + " spacing assumed");
      }
      double[] origin =
          first.frame().positionMm() == null ? new double[3] : first.frame().positionMm();
      Geometry g =
          new Geometry(
              first.instance().columns(),
              first.instance().rows(),
              ordered.size(),
              new double[] {spacingX, spacingY, 1},
              origin,
              axisX,
              axisY,
              normal);
      return new Layout(ordered, g);
    }
    ordered.sort(
        Comparator.comparingDouble((Slice s) -> dot(s.frame().positionMm(), normal))
            .thenComparingInt(s -> s.instance().instanceNumber())
            .thenComparing(s -> s.instance().file())
            .thenComparingInt(s -> s.frame().frameIndex()));
    ordered = dropDuplicates(ordered, normal, warnings);
    int n = ordered.size();
    double[] p0 = ordered.get(0).frame().positionMm();
    double[] pn = ordered.get(n - 1).frame().positionMm();
    double[] axisZ = normal;
    double spacingZ = 1;
    if (n > 1) {
      double[] span = {pn[0] - p0[0], pn[1] - p0[1], pn[2] - p0[2]};
      double length = Math.sqrt(dot(span, span));
      axisZ = normalize(span);
      spacingZ = length / (n - 1);
      checkSpacing(ordered, normal, spacingZ, warnings);
      double tilt = Math.toDegrees(Math.acos(Math.min(1, Math.abs(dot(axisZ, normal)))));
      if (tilt > 0.05) {
        warnings.add(
            String.format(
                Locale.ROOT,
                "gantry tilt of %.2f°: the volume keeps the tilted (sheared) geometry",
                tilt));
      }
    }
    Geometry g =
        new Geometry(
            first.instance().columns(),
            first.instance().rows(),
            n,
            new double[] {spacingX, spacingY, spacingZ},
            p0,
            axisX,
            axisY,
            axisZ);
    return new Layout(ordered, g);
  }

  private static List<Slice> dropDuplicates(
      List<Slice> ordered, double[] normal, List<String> warnings) {
    List<Slice> kept = new ArrayList<>(ordered.size());
    List<String> listed = new ArrayList<>();
    int duplicates = 0;
    for (Slice s : ordered) {
      Slice last = kept.isEmpty() ? null : kept.get(kept.size() - 1);
      if (last != null
          && distance(last.frame().positionMm(), s.frame().positionMm()) < POSITION_TOLERANCE_MM) {
        duplicates++;
        if (listed.size() < MAX_LISTED) {
          listed.add(
              String.format(
                  Locale.ROOT,
                  "%s (same position %.2f mm as %s)",
                  s.where(),
                  dot(s.frame().positionMm(), normal),
                  last.where()));
        }
        continue;
      }
      kept.add(s);
    }
    if (duplicates > 0) {
      warnings.add(
          duplicates
              + " duplicate slice position(s), left out: "
              + String.join("; ", listed)
              + (duplicates > listed.size()
                  ? "; and " + (duplicates - listed.size()) + " more"
                  : ""));
    }
    return kept;
  }

  private static void checkSpacing(
      List<Slice> ordered, double[] normal, double meanSpacing, List<String> warnings) {
    List<Double> steps = new ArrayList<>();
    for (int i = 1; i < ordered.size(); i++) {
      steps.add(
          distance(ordered.get(i - 1).frame().positionMm(), ordered.get(i).frame().positionMm()));
    }
    List<Double> sorted = steps.stream().sorted().toList();
    double median = sorted.get(sorted.size() / 2);
    List<String> gaps = new ArrayList<>();
    int gapCount = 0;
    double min = Double.MAX_VALUE;
    double max = 0;
    for (int i = 0; i < steps.size(); i++) {
      double step = steps.get(i);
      if (step > 1.5 * median) {
        gapCount++;
        if (gaps.size() < MAX_LISTED) {
          gaps.add(
              String.format(
                  Locale.ROOT,
                  "between %.2f and %.2f mm (%s and %s, about %d slice(s) missing)",
                  dot(ordered.get(i).frame().positionMm(), normal),
                  dot(ordered.get(i + 1).frame().positionMm(), normal),
                  ordered.get(i).instance().file().getFileName(),
                  ordered.get(i + 1).instance().file().getFileName(),
                  Math.round(step / median) - 1));
        }
      } else {
        min = Math.min(min, step);
        max = Math.max(max, step);
      }
    }
    if (gapCount > 0) {
      warnings.add(
          gapCount
              + " gap(s) in the slice positions: "
              + String.join("; ", gaps)
              + (gapCount > gaps.size() ? "; and " + (gapCount - gaps.size()) + " more" : "")
              + String.format(
                  Locale.ROOT, "; the volume uses the mean spacing %.3f mm", meanSpacing));
    }
    if (max - min > Math.max(0.01, 0.01 * median)) {
      warnings.add(
          String.format(
              Locale.ROOT,
              "non-uniform slice spacing from %.3f to %.3f mm; the volume uses the mean %.3f mm",
              min,
              max,
              meanSpacing));
    }
  }

  static double dot(double[] a, double[] b) {
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
  }

  private static double distance(double[] a, double[] b) {
    double dx = a[0] - b[0];
    double dy = a[1] - b[1];
    double dz = a[2] - b[2];
    return Math.sqrt(dx * dx + dy * dy + dz * dz);
  }

  private static double[] cross(double[] a, double[] b) {
    return new double[] {
      a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]
    };
  }

  private static double[] normalize(double[] v) {
    double n = Math.sqrt(dot(v, v));
    return n == 0 ? new double[] {0, 0, 1} : new double[] {v[0] / n, v[1] / n, v[2] / n};
  }
}
