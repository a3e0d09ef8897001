package org.voxelwise.imaging.simulate;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.voxelwise.imaging.progress.OperationCancelledException;
import org.voxelwise.imaging.progress.ProgressListener;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.Volume;

/**
 * An analytic phantom: ellipsoids of uniform material painted in order, in air.
 *
 * <p>Contract: the value at a point is the HU of the <em>last</em> ellipsoid in {@link #objects()}
 * that contains it (later objects cover earlier ones), or {@link #AIR_HU} when none does. Line
 * integrals through it are exact (chord lengths of ellipses, not sampled). Instances are immutable
 * and thread-safe.
 */
public final class EllipsoidPhantom {
  /** HU outside every object. */
  public static final double AIR_HU = -1000;

  private final List<Ellipsoid> objects;

  /**
   * @param objects the ellipsoids in painting order (the last one wins where they overlap)
   */
  public EllipsoidPhantom(List<Ellipsoid> objects) {
    this.objects = List.copyOf(objects);
  }

  /** The ellipsoids in painting order. */
  public List<Ellipsoid> objects() {
    return objects;
  }

  /** The HU at the point (x, y, z) in mm. */
  public double huAt(double xMm, double yMm, double zMm) {
    for (int e = objects.size() - 1; e >= 0; e--) {
      if (objects.get(e).contains(xMm, yMm, zMm)) {
        return objects.get(e).hu();
      }
    }
    return AIR_HU;
  }

  /**
   * The phantom sampled on an axis-aligned grid with partial volume: each voxel is the mean of
   * {@code inPlaneSubsamples² · zSubsamples} points evenly spread over the voxel (at the centres of
   * equal sub-cells), rounded to the nearest HU.
   *
   * @param inPlaneSubsamples sub-samples per voxel along x and along y, ≥ 1
   * @param zSubsamples sub-samples per voxel along z, ≥ 1
   * @param progress receives the fraction of slices done; cancelling stops between slices
   * @throws IllegalArgumentException for a grid that is not axis-aligned or sub-samples below 1
   * @throws OperationCancelledException when {@code progress} was cancelled
   */
  public Volume voxelize(
      Geometry grid, int inPlaneSubsamples, int zSubsamples, ProgressListener progress) {
    Objects.requireNonNull(progress, "progress");
    checkAxisAligned(grid);
    if (inPlaneSubsamples < 1 || zSubsamples < 1) {
      throw new IllegalArgumentException("sub-samples must be ≥ 1");
    }
    int nx = grid.sizeX();
    int ny = grid.sizeY();
    int nz = grid.sizeZ();
    short[] values = new short[Math.toIntExact(grid.voxelCount())];
    AtomicInteger done = new AtomicInteger();
    IntStream.range(0, nz)
        .parallel()
        .forEach(
            k -> {
              progress.checkCancelled();
              voxelizeSlice(grid, k, inPlaneSubsamples, zSubsamples, values, nx * ny * k);
              progress.update((double) done.incrementAndGet() / nz, "Sampling the phantom");
            });
    return Volume.ofShorts(grid, "CT", values);
  }

  private void voxelizeSlice(
      Geometry grid, int k, int sub, int zSub, short[] values, int sliceOffset) {
    int nx = grid.sizeX();
    int ny = grid.sizeY();
    int hx = nx * sub;
    int hy = ny * sub;
    double[] spacing = grid.spacingMm();
    double[] origin = grid.originMm();
    double hdx = spacing[0] / sub;
    double hdy = spacing[1] / sub;
    double x0 = origin[0] - spacing[0] / 2 + hdx / 2;
    double y0 = origin[1] - spacing[1] / 2 + hdy / 2;
    double[] sum = new double[nx * ny];
    float[] fine = new float[hx * hy];
    for (int m = 0; m < zSub; m++) {
      double z = origin[2] + k * spacing[2] + ((m + 0.5) / zSub - 0.5) * spacing[2];
      Section section = section(z);
      Arrays.fill(fine, (float) AIR_HU);
      for (int e = 0; e < section.count; e++) {
        double halfX = section.halfWidthX(e);
        double halfY = section.halfWidthY(e);
        int i0 = Math.max(0, (int) Math.ceil((section.cx[e] - halfX - x0) / hdx));
        int i1 = Math.min(hx - 1, (int) Math.floor((section.cx[e] + halfX - x0) / hdx));
        int j0 = Math.max(0, (int) Math.ceil((section.cy[e] - halfY - y0) / hdy));
        int j1 = Math.min(hy - 1, (int) Math.floor((section.cy[e] + halfY - y0) / hdy));
        float hu = (float) section.hu[e];
        for (int jj = j0; jj <= j1; jj++) {
          double y = y0 + jj * hdy;
          int row = jj * hx;
          for (int ii = i0; ii <= i1; ii++) {
            if (section.contains(e, x0 + ii * hdx, y)) {
              fine[row + ii] = hu;
            }
          }
        }
      }
      for (int jj = 0; jj < hy; jj++) {
        int row = (jj / sub) * nx;
        for (int ii = 0; ii < hx; ii++) {
          sum[row + ii / sub] += fine[jj * hx + ii];
        }
      }
    }
    double n = (double) sub * sub * zSub;
    for (int p = 0; p < sum.length; p++) {
      values[sliceOffset + p] = (short) Math.round(sum[p] / n);
    }
  }

  static void checkAxisAligned(Geometry grid) {
    double[] ax = grid.axisX();
    double[] ay = grid.axisY();
    double[] az = grid.axisZ();
    if (ax[0] != 1 || ay[1] != 1 || az[2] != 1) {
      throw new IllegalArgumentException("the grid must be axis-aligned: " + grid);
    }
  }

  /** The ellipses in which the plane at {@code zMm} cuts the ellipsoids, in painting order. */
  Section section(double zMm) {
    int n = objects.size();
    Section s = new Section(n);
    for (Ellipsoid o : objects) {
      double w = (zMm - o.centreZMm()) / o.semiAxisZMm();
      if (w * w >= 1) {
        continue;
      }
      double scale = Math.sqrt(1 - w * w);
      int e = s.count++;
      s.cx[e] = o.centreXMm();
      s.cy[e] = o.centreYMm();
      s.cos[e] = Math.cos(o.angleRad());
      s.sin[e] = Math.sin(o.angleRad());
      s.a[e] = o.semiAxisUMm() * scale;
      s.b[e] = o.semiAxisVMm() * scale;
      s.invA[e] = 1 / s.a[e];
      s.invB[e] = 1 / s.b[e];
      s.hu[e] = o.hu();
      s.density[e] = 1 + o.hu() / 1000;
    }
    return s;
  }

  /**
   * A plane section of the phantom: ellipses in painting order. {@link #lineIntegral} gives the
   * integral of the relative attenuation {@code μ/μ_water = 1 + HU/1000} (0 in air) along a line.
   */
  static final class Section {
    int count;
    final double[] cx;
    final double[] cy;
    final double[] cos;
    final double[] sin;
    final double[] a;
    final double[] b;
    final double[] invA;
    final double[] invB;
    final double[] hu;
    final double[] density;

    Section(int capacity) {
      cx = new double[capacity];
      cy = new double[capacity];
      cos = new double[capacity];
      sin = new double[capacity];
      a = new double[capacity];
      b = new double[capacity];
      invA = new double[capacity];
      invB = new double[capacity];
      hu = new double[capacity];
      density = new double[capacity];
    }

    boolean contains(int e, double x, double y) {
      double dx = x - cx[e];
      double dy = y - cy[e];
      double u = (dx * cos[e] + dy * sin[e]) * invA[e];
      double v = (-dx * sin[e] + dy * cos[e]) * invB[e];
      return u * u + v * v <= 1;
    }

    double halfWidthX(int e) {
      return Math.hypot(a[e] * cos[e], b[e] * sin[e]);
    }

    double halfWidthY(int e) {
      return Math.hypot(a[e] * sin[e], b[e] * cos[e]);
    }

    /**
     * ∫ (1 + HU/1000) ds along the line {@code (sx, sy) + s·(vx, vy)} for all s, with (vx, vy) a
     * unit vector, in mm of water. {@code scratch} must hold at least {@link #count} ellipses and
     * is not shared between threads.
     */
    double lineIntegral(double sx, double sy, double vx, double vy, Scratch scratch) {
      double[] enter = scratch.enter;
      double[] exit = scratch.exit;
      int[] hit = scratch.hit;
      int h = 0;
      for (int e = 0; e < count; e++) {
        double dx = sx - cx[e];
        double dy = sy - cy[e];
        double pu = (dx * cos[e] + dy * sin[e]) * invA[e];
        double pv = (-dx * sin[e] + dy * cos[e]) * invB[e];
        double wu = (vx * cos[e] + vy * sin[e]) * invA[e];
        double wv = (-vx * sin[e] + vy * cos[e]) * invB[e];
        double qa = wu * wu + wv * wv;
        double qb = pu * wu + pv * wv;
        double qc = pu * pu + pv * pv - 1;
        double disc = qb * qb - qa * qc;
        if (disc <= 0) {
          continue;
        }
        double r = Math.sqrt(disc);
        enter[h] = (-qb - r) / qa;
        exit[h] = (-qb + r) / qa;
        hit[h++] = e;
      }
      if (h == 0) {
        return 0;
      }
      if (h == 1) {
        return density[hit[0]] * (exit[0] - enter[0]);
      }
      double[] points = scratch.points;
      int np = 0;
      for (int q = 0; q < h; q++) {
        np = insert(points, np, enter[q]);
        np = insert(points, np, exit[q]);
      }
      double sum = 0;
      for (int m = 0; m + 1 < np; m++) {
        double from = points[m];
        double to = points[m + 1];
        if (to <= from) {
          continue;
        }
        double mid = 0.5 * (from + to);
        for (int q = h - 1; q >= 0; q--) {
          if (enter[q] <= mid && mid <= exit[q]) {
            sum += density[hit[q]] * (to - from);
            break;
          }
        }
      }
      return sum;
    }

    private static int insert(double[] sorted, int n, double value) {
      int i = n;
      while (i > 0 && sorted[i - 1] > value) {
        sorted[i] = sorted[i - 1];
        i--;
      }
      sorted[i] = value;
      return n + 1;
    }
  }

  /** Per-thread working arrays of {@link Section#lineIntegral}, for up to a number of ellipses. */
  static final class Scratch {
    final double[] enter;
    final double[] exit;
    final int[] hit;
    final double[] points;

    Scratch(int capacity) {
      enter = new double[capacity];
      exit = new double[capacity];
      hit = new int[capacity];
      points = new double[2 * capacity];
    }
  }
}
