package org.voxelwise.imaging.render;

import org.voxelwise.imaging.volume.Geometry;

/**
 * How the slices of one {@link Plane} are cut from a volume's voxel grid, for any direction
 * cosines.
 *
 * <p>Each voxel axis is matched to the patient axis it is most nearly parallel to (the assignment
 * of the three voxel axes to the three patient axes that maximises the summed |cosines|). The
 * plane's slices run along the voxel axis matched to the plane's normal; the screen's x and y axes
 * run along the voxel axes matched to the plane's screen directions ({@link Plane#screenRight()},
 * {@link Plane#screenDown()}), reversed where the voxel axis points the other way. So an axial,
 * coronal or sagittal acquisition shows each plane in the radiological convention, and an oblique
 * one shows the nearest plane without resampling; {@link #edgeLetters()} then says the true
 * directions (e.g. "LP" for a 30° rotated grid).
 *
 * <p>Pixel (u, v) of slice s (u to the right, v downwards, row by row) is voxel flat index {@code
 * baseIndex(s) + u·stepU() + v·stepV()}, for any voxel array laid out x fastest, then y, then z
 * (volumes, label volumes). A pixel covers {@link #pixelWidthMm()} × {@link #pixelHeightMm()}.
 * Instances are immutable.
 */
public final class SlicePlane {
  /** Direction components at least this large (≈ 6°) get an orientation letter. */
  static final double LETTER_THRESHOLD = 0.1;

  private static final String[] POSITIVE = {"L", "P", "S"};
  private static final String[] NEGATIVE = {"R", "A", "I"};

  private final Plane plane;
  private final Geometry geometry;
  private final int normalAxis;
  private final int uAxis;
  private final int vAxis;
  private final boolean flipU;
  private final boolean flipV;
  private final int[] sizes;
  private final int[] strides;
  private final double[][] axes;

  public SlicePlane(Geometry geometry, Plane plane) {
    this.geometry = geometry;
    this.plane = plane;
    axes = new double[][] {geometry.axisX(), geometry.axisY(), geometry.axisZ()};
    sizes = new int[] {geometry.sizeX(), geometry.sizeY(), geometry.sizeZ()};
    strides = new int[] {1, geometry.sizeX(), geometry.sizeX() * geometry.sizeY()};
    int[] patientAxisOf = nearestPatientAxes(axes);
    normalAxis = voxelAxisFor(patientAxisOf, plane.normalPatientAxis());
    double[] right = plane.screenRight();
    double[] down = plane.screenDown();
    uAxis = voxelAxisFor(patientAxisOf, dominant(right));
    vAxis = voxelAxisFor(patientAxisOf, dominant(down));
    flipU = dot(axes[uAxis], right) < 0;
    flipV = dot(axes[vAxis], down) < 0;
  }

  /** For each voxel axis, the patient axis (0..2) it is assigned to. */
  private static int[] nearestPatientAxes(double[][] axes) {
    int[][] permutations = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
    int[] best = permutations[0];
    double bestScore = -1;
    for (int[] p : permutations) {
      double score = Math.abs(axes[0][p[0]]) + Math.abs(axes[1][p[1]]) + Math.abs(axes[2][p[2]]);
      if (score > bestScore + 1e-12) {
        bestScore = score;
        best = p;
      }
    }
    return best;
  }

  private static int voxelAxisFor(int[] patientAxisOf, int patientAxis) {
    for (int a = 0; a < 3; a++) {
      if (patientAxisOf[a] == patientAxis) {
        return a;
      }
    }
    throw new AssertionError("not a permutation");
  }

  private static int dominant(double[] v) {
    int best = 0;
    for (int a = 1; a < 3; a++) {
      if (Math.abs(v[a]) > Math.abs(v[best])) {
        best = a;
      }
    }
    return best;
  }

  private static double dot(double[] a, double[] b) {
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
  }

  public Plane plane() {
    return plane;
  }

  public Geometry geometry() {
    return geometry;
  }

  /** Pixels per row of a slice. */
  public int width() {
    return sizes[uAxis];
  }

  /** Rows of a slice. */
  public int height() {
    return sizes[vAxis];
  }

  /** Number of slices in this plane. */
  public int sliceCount() {
    return sizes[normalAxis];
  }

  /** The voxel axis (0 = x, 1 = y, 2 = z) the slices are stacked along. */
  public int normalVoxelAxis() {
    return normalAxis;
  }

  /** Width of one pixel in mm (the spacing of the voxel axis along the screen's x). */
  public double pixelWidthMm() {
    return geometry.spacingMm()[uAxis];
  }

  /** Height of one pixel in mm (the spacing of the voxel axis along the screen's y). */
  public double pixelHeightMm() {
    return geometry.spacingMm()[vAxis];
  }

  /** The display aspect: how many times taller than wide a pixel must be drawn. */
  public double aspect() {
    return pixelHeightMm() / pixelWidthMm();
  }

  /** Flat voxel index of pixel (0, 0) of slice {@code slice}. */
  public int baseIndex(int slice) {
    if (slice < 0 || slice >= sliceCount()) {
      throw new IndexOutOfBoundsException("slice " + slice + " of " + sliceCount());
    }
    int base = slice * strides[normalAxis];
    if (flipU) {
      base += (width() - 1) * strides[uAxis];
    }
    if (flipV) {
      base += (height() - 1) * strides[vAxis];
    }
    return base;
  }

  /** Change of the flat voxel index from one pixel to the next in a row. */
  public int stepU() {
    return flipU ? -strides[uAxis] : strides[uAxis];
  }

  /** Change of the flat voxel index from one row to the next. */
  public int stepV() {
    return flipV ? -strides[vAxis] : strides[vAxis];
  }

  /** The voxel index (i, j, k) shown at pixel (u, v) of slice {@code slice}. */
  public int[] voxelAt(int u, int v, int slice) {
    int[] voxel = new int[3];
    voxel[uAxis] = flipU ? width() - 1 - u : u;
    voxel[vAxis] = flipV ? height() - 1 - v : v;
    voxel[normalAxis] = slice;
    return voxel;
  }

  /**
   * Where a (fractional) voxel index lies in this plane: {u, v, slice}, the inverse of {@link
   * #voxelAt} (pixel centres at whole numbers).
   */
  public double[] pixelOf(double[] voxel) {
    double u = flipU ? width() - 1 - voxel[uAxis] : voxel[uAxis];
    double v = flipV ? height() - 1 - voxel[vAxis] : voxel[vAxis];
    return new double[] {u, v, voxel[normalAxis]};
  }

  /** The slice through a voxel index: its index along {@link #normalVoxelAxis()}. */
  public int sliceOf(int[] voxel) {
    return voxel[normalAxis];
  }

  /**
   * The position of a slice in mm along the plane's patient axis (z for axial, y for coronal, x for
   * sagittal, LPS), taken at the slice's centre.
   */
  public double slicePositionMm(int slice) {
    double[] centre = {
      (sizes[0] - 1) / 2.0, (sizes[1] - 1) / 2.0, (sizes[2] - 1) / 2.0,
    };
    centre[normalAxis] = slice;
    return geometry.voxelToPatient(centre[0], centre[1], centre[2])[plane.normalPatientAxis()];
  }

  /** The patient (LPS) direction of the screen's x axis in this plane. */
  public double[] screenRightDirection() {
    return signed(axes[uAxis], flipU);
  }

  /** The patient (LPS) direction of the screen's y axis (downwards) in this plane. */
  public double[] screenDownDirection() {
    return signed(axes[vAxis], flipV);
  }

  private static double[] signed(double[] v, boolean flip) {
    double s = flip ? -1 : 1;
    return new double[] {s * v[0], s * v[1], s * v[2]};
  }

  /**
   * The orientation letters at the view's edges: left, right, top, bottom, each from {@link
   * #orientationLetters}.
   */
  public String[] edgeLetters() {
    double[] right = screenRightDirection();
    double[] down = screenDownDirection();
    return new String[] {
      orientationLetters(signed(right, true)),
      orientationLetters(right),
      orientationLetters(signed(down, true)),
      orientationLetters(down)
    };
  }

  /**
   * The letters (L/R, A/P, S/I) naming a patient (LPS) direction, largest component first; each
   * component of at least {@value #LETTER_THRESHOLD} of the direction's length gets its letter (so
   * (0.87, 0.5, 0) is "LP" and (−1, 0, 0) is "R").
   */
  public static String orientationLetters(double[] direction) {
    double norm = Math.sqrt(dot(direction, direction));
    Integer[] order = {0, 1, 2};
    java.util.Arrays.sort(order, (a, b) -> Double.compare(abs(direction[b]), abs(direction[a])));
    StringBuilder letters = new StringBuilder();
    for (int a : order) {
      double c = direction[a] / norm;
      if (Math.abs(c) >= LETTER_THRESHOLD) {
        letters.append(c > 0 ? POSITIVE[a] : NEGATIVE[a]);
      }
    }
    return letters.toString();
  }

  private static double abs(double d) {
    return Math.abs(d);
  }
}
