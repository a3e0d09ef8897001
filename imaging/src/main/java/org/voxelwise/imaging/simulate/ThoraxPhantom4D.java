package org.voxelwise.imaging.simulate;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.voxelwise.imaging.volume.Geometry;

/**
 * A breathing thorax and upper abdomen made of ellipsoids: body (fat and muscle), two lungs, heart,
 * liver, spleen with a stomach gas bubble, spine, sternum and a lung tumour.
 *
 * <p>Contract: {@link #at(double)} gives the anatomy at a diaphragm displacement {@code d} (mm
 * inferior, as {@link BreathingSignal#displacementMm} gives it; 0 at end-exhale). With {@code d}
 * the liver dome and the spleen/stomach move d and 0.8·d towards the feet (−z) and 0.15·d and 0.1·d
 * anteriorly (−y); the tumour moves 0.8·d inferiorly and 0.1·d anteriorly; the heart 0.3·d
 * inferiorly; the chest wall expands anteriorly by 0.3·d and laterally by 0.1·d while the back
 * stays on the table; the lungs grow with the chest; the spine does not move. Tissue values: fat
 * −90, muscle 40, lung −820, heart 40, liver 60, spleen 45, gas −900, cortical bone 700, cancellous
 * bone 250, sternum 500 and tumour 30 HU. The phantom lies in patient coordinates (LPS mm) centred
 * on x = y = z = 0 and fills the field of {@link #grid}: {@value #FIELD_XY_MM} mm across, {@value
 * #FIELD_Z_MM} mm long, with the liver dome and the tumour inside it at every displacement up to 25
 * mm. The seed varies body size, dome height and the tumour's size, side and position; the same
 * seed gives the same phantom. Instances are immutable.
 */
public final class ThoraxPhantom4D {
  /** Width and depth of the field the phantom is made for, in mm. */
  public static final double FIELD_XY_MM = 384;

  /** Length along z of the field the phantom is made for, in mm. */
  public static final double FIELD_Z_MM = 160;

  private static final double CYLINDER_MM = 4000;

  private final double scale;
  private final double liverTopMm;
  private final double[] tumourMm;
  private final double tumourRadiusMm;

  private ThoraxPhantom4D(
      double scale, double liverTopMm, double[] tumourMm, double tumourRadiusMm) {
    this.scale = scale;
    this.liverTopMm = liverTopMm;
    this.tumourMm = tumourMm;
    this.tumourRadiusMm = tumourRadiusMm;
  }

  /** The phantom of {@code seed}. */
  public static ThoraxPhantom4D create(long seed) {
    SplittableRandom random = new SplittableRandom(seed ^ 0x7468_6f72_6178L);
    double scale = random.nextDouble(0.92, 1.05);
    double liverTop = random.nextDouble(20, 35);
    double side = random.nextBoolean() ? 1 : -1;
    double[] tumour = {
      side * random.nextDouble(55, 90) * scale,
      random.nextDouble(-15, 35) * scale,
      random.nextDouble(42, 60)
    };
    return new ThoraxPhantom4D(scale, liverTop, tumour, random.nextDouble(6, 14));
  }

  /**
   * The grid of the field on which the phantom is made: axis-aligned, {@link #FIELD_XY_MM} × {@link
   * #FIELD_XY_MM} × {@link #FIELD_Z_MM} mm divided into the given number of voxels, centred on the
   * origin of patient coordinates.
   *
   * @throws IllegalArgumentException for a size below 1
   */
  public static Geometry grid(int sizeX, int sizeY, int sizeZ) {
    if (sizeX < 1 || sizeY < 1 || sizeZ < 1) {
      throw new IllegalArgumentException(
          "size must be at least 1 in each axis: " + sizeX + "×" + sizeY + "×" + sizeZ);
    }
    double[] spacing = {FIELD_XY_MM / sizeX, FIELD_XY_MM / sizeY, FIELD_Z_MM / sizeZ};
    double[] origin = {
      -(sizeX - 1) * spacing[0] / 2, -(sizeY - 1) * spacing[1] / 2, -(sizeZ - 1) * spacing[2] / 2
    };
    return Geometry.axisAligned(sizeX, sizeY, sizeZ, spacing, origin);
  }

  /** The tumour's radius in mm. */
  public double tumourRadiusMm() {
    return tumourRadiusMm;
  }

  /** The tumour's centre [x, y, z] in mm at the displacement {@code d} mm. */
  public double[] tumourCentreMm(double displacementMm) {
    return new double[] {
      tumourMm[0], tumourMm[1] - 0.1 * displacementMm, tumourMm[2] - 0.8 * displacementMm
    };
  }

  /** The anatomy at the diaphragm displacement {@code displacementMm} (≥ 0 mm inferior). */
  public EllipsoidPhantom at(double displacementMm) {
    double d = displacementMm;
    double s = scale;
    double apGrowth = 0.15 * d;
    double lateralGrowth = 0.05 * d;
    double chestY = -apGrowth;
    double lungGrowth = 1 + 0.004 * d;
    List<Ellipsoid> o = new ArrayList<>();
    o.add(
        Ellipsoid.axisAligned(
            0, chestY, 0, 165 * s + lateralGrowth, 115 * s + apGrowth, CYLINDER_MM, -90));
    o.add(
        Ellipsoid.axisAligned(
            0, chestY, 0, 152 * s + lateralGrowth, 102 * s + apGrowth, CYLINDER_MM, 40));
    o.add(
        Ellipsoid.axisAligned(
            -72 * s, 8 * s - apGrowth, 80, 58 * s * lungGrowth, 78 * s * lungGrowth, 130, -820));
    o.add(
        Ellipsoid.axisAligned(
            75 * s, 8 * s - apGrowth, 80, 55 * s * lungGrowth, 76 * s * lungGrowth, 130, -820));
    o.add(new Ellipsoid(22 * s, -22 * s - apGrowth, 15 - 0.3 * d, 55 * s, 45 * s, 55, 0.5, 40));
    o.add(Ellipsoid.axisAligned(70 * s, 15 * s - 0.1 * d, -65 - 0.8 * d, 60 * s, 65 * s, 70, 45));
    o.add(
        Ellipsoid.axisAligned(55 * s, -25 * s - 0.1 * d, -45 - 0.8 * d, 28 * s, 20 * s, 18, -900));
    o.add(
        Ellipsoid.axisAligned(
            -45 * s, 5 * s - 0.15 * d, liverTopMm - 90 - d, 110 * s, 85 * s, 90, 60));
    o.add(Ellipsoid.axisAligned(0, 78 * s, 0, 22 * s, 20 * s, CYLINDER_MM, 700));
    o.add(Ellipsoid.axisAligned(0, 78 * s, 0, 16 * s, 14 * s, CYLINDER_MM, 250));
    o.add(
        Ellipsoid.axisAligned(
            0, chestY - 102 * s - apGrowth + 8, 0, 14 * s, 6 * s, CYLINDER_MM, 500));
    double[] t = tumourCentreMm(d);
    o.add(
        Ellipsoid.axisAligned(
            t[0], t[1], t[2], tumourRadiusMm, tumourRadiusMm, tumourRadiusMm, 30));
    return new EllipsoidPhantom(o);
  }
}
