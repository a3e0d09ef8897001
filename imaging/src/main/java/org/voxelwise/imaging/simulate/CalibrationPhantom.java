package org.voxelwise.imaging.simulate;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.Volume;

/**
 * A CT calibration phantom like those used for CT quality assurance: a water cylinder (0 HU) in air
 * (−1000 HU) along the z axis, holding five cylindrical inserts of known HU (air, fat, soft tissue,
 * acrylic, bone) that run through every slice, with sharp edges and seeded Gaussian noise.
 *
 * <p>Contract: the volume is axis-aligned, centred on patient (0, 0) in x and y, with slice 0 at z
 * = 0, modality "CT", values in HU stored as 16-bit integers. The water cylinder's radius is {@link
 * #WATER_RADIUS_FRACTION} of the smaller in-plane field of view (size × spacing), and the inserts'
 * centres and radii scale with it, as {@link #inserts(Geometry)} lists. A voxel belongs to a
 * cylinder when its centre lies within the radius. Each voxel's value is its material's HU plus
 * Gaussian noise of the given sigma, rounded to the nearest integer. The same arguments and seed
 * always give the same volume.
 */
public final class CalibrationPhantom {
  /** Default columns (x). */
  public static final int DEFAULT_SIZE_X = 128;

  /** Default rows (y). */
  public static final int DEFAULT_SIZE_Y = 128;

  /** Default slices (z). */
  public static final int DEFAULT_SIZE_Z = 48;

  private static final double[] DEFAULT_SPACING_MM = {1.5, 1.5, 2.5};

  /** Default noise standard deviation in HU. */
  public static final double DEFAULT_NOISE_SIGMA_HU = 10;

  /** HU of the air around the phantom. */
  public static final double AIR_HU = -1000;

  /** HU of the water cylinder. */
  public static final double WATER_HU = 0;

  /** Radius of the water cylinder as a fraction of the smaller in-plane field of view. */
  public static final double WATER_RADIUS_FRACTION = 0.4;

  /** Distance of each insert's axis from the phantom's axis, as a fraction of the water radius. */
  public static final double INSERT_RING_FRACTION = 0.55;

  /** Radius of each insert as a fraction of the water radius. */
  public static final double INSERT_RADIUS_FRACTION = 0.15;

  /** The insert materials and their nominal HU, in order around the ring from +x towards +y. */
  public static final List<Material> INSERT_MATERIALS =
      List.of(
          new Material("air", -1000),
          new Material("fat", -100),
          new Material("soft tissue", 50),
          new Material("acrylic", 120),
          new Material("bone", 700));

  private CalibrationPhantom() {}

  /**
   * A material of the phantom.
   *
   * @param name what it stands for, e.g. "fat"
   * @param hu its nominal value in HU
   */
  public record Material(String name, double hu) {}

  /**
   * One cylindrical insert, parallel to z through every slice, in patient coordinates.
   *
   * @param name the material's name
   * @param hu the material's nominal HU
   * @param centreXMm x of the insert's axis in mm (patient LPS)
   * @param centreYMm y of the insert's axis in mm (patient LPS)
   * @param radiusMm the insert's radius in mm
   */
  public record Insert(
      String name, double hu, double centreXMm, double centreYMm, double radiusMm) {
    /** Whether the patient point (x, y) lies in this insert (on its edge included). */
    public boolean contains(double xMm, double yMm) {
      double dx = xMm - centreXMm;
      double dy = yMm - centreYMm;
      return dx * dx + dy * dy <= radiusMm * radiusMm;
    }
  }

  /**
   * Default voxel spacing [x, y, z] in mm, 1.5 × 1.5 × 2.5 (a copy): a 192 × 192 × 120 mm field.
   */
  public static double[] defaultSpacingMm() {
    return DEFAULT_SPACING_MM.clone();
  }

  /** The phantom at the default size, spacing and noise. */
  public static Volume createDefault(long seed) {
    return create(
        DEFAULT_SIZE_X,
        DEFAULT_SIZE_Y,
        DEFAULT_SIZE_Z,
        DEFAULT_SPACING_MM,
        seed,
        DEFAULT_NOISE_SIGMA_HU);
  }

  /**
   * The phantom on a grid of the given size and spacing.
   *
   * @param spacingMm [x, y, z] spacing in mm, each &gt; 0
   * @param seed seed of the noise
   * @param noiseSigmaHu standard deviation of the Gaussian noise in HU, ≥ 0 (0: no noise)
   * @throws IllegalArgumentException for a size below 1, a bad spacing or a negative sigma
   */
  public static Volume create(
      int sizeX, int sizeY, int sizeZ, double[] spacingMm, long seed, double noiseSigmaHu) {
    if (!(noiseSigmaHu >= 0) || Double.isInfinite(noiseSigmaHu)) {
      throw new IllegalArgumentException("noise sigma must be ≥ 0 HU: " + noiseSigmaHu);
    }
    Geometry g = geometry(sizeX, sizeY, sizeZ, spacingMm);
    double waterRadius = waterRadiusMm(g);
    List<Insert> inserts = inserts(g);
    double[] origin = g.originMm();
    double[] spacing = g.spacingMm();
    short[] values = new short[Math.toIntExact(g.voxelCount())];
    float[] sliceHu = new float[sizeX * sizeY];
    for (int j = 0; j < sizeY; j++) {
      double y = origin[1] + j * spacing[1];
      for (int i = 0; i < sizeX; i++) {
        double x = origin[0] + i * spacing[0];
        double hu = x * x + y * y <= waterRadius * waterRadius ? WATER_HU : AIR_HU;
        for (Insert insert : inserts) {
          if (insert.contains(x, y)) {
            hu = insert.hu();
          }
        }
        sliceHu[i + sizeX * j] = (float) hu;
      }
    }
    Random random = new Random(seed);
    int index = 0;
    for (int k = 0; k < sizeZ; k++) {
      for (float hu : sliceHu) {
        double noisy = hu + noiseSigmaHu * random.nextGaussian();
        values[index++] =
            (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(noisy)));
      }
    }
    return Volume.ofShorts(g, "CT", values);
  }

  /**
   * The phantom's grid: axis-aligned, centred on x = y = 0, slice 0 at z = 0.
   *
   * @throws IllegalArgumentException for a size below 1 or a bad spacing
   */
  public static Geometry geometry(int sizeX, int sizeY, int sizeZ, double[] spacingMm) {
    Objects.requireNonNull(spacingMm, "spacingMm");
    if (spacingMm.length != 3) {
      throw new IllegalArgumentException("spacing must have 3 components");
    }
    double[] origin = {-(sizeX - 1) * spacingMm[0] / 2, -(sizeY - 1) * spacingMm[1] / 2, 0};
    return Geometry.axisAligned(sizeX, sizeY, sizeZ, spacingMm, origin);
  }

  /** Radius in mm of the water cylinder on the grid {@code g}. */
  public static double waterRadiusMm(Geometry g) {
    double[] spacing = g.spacingMm();
    return WATER_RADIUS_FRACTION * Math.min(g.sizeX() * spacing[0], g.sizeY() * spacing[1]);
  }

  /**
   * The inserts of the phantom on the grid {@code g} (as made by {@link #geometry}), one per {@link
   * #INSERT_MATERIALS} entry and in that order, evenly spaced around a ring.
   */
  public static List<Insert> inserts(Geometry g) {
    double waterRadius = waterRadiusMm(g);
    double ring = INSERT_RING_FRACTION * waterRadius;
    double radius = INSERT_RADIUS_FRACTION * waterRadius;
    List<Insert> inserts = new ArrayList<>();
    int n = INSERT_MATERIALS.size();
    for (int m = 0; m < n; m++) {
      Material material = INSERT_MATERIALS.get(m);
      double angle = 2 * Math.PI * m / n;
      inserts.add(
          new Insert(
              material.name(),
              material.hu(),
              ring * Math.cos(angle),
              ring * Math.sin(angle),
              radius));
    }
    return List.copyOf(inserts);
  }
}
