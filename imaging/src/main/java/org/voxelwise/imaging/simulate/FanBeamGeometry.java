package org.voxelwise.imaging.simulate;

import org.voxelwise.imaging.volume.Geometry;

/**
 * The geometry of a fan-beam scanner turning about the z axis of patient coordinates: a point
 * source at {@code sourceToIsocentreMm} from the axis and a flat detector of equally spaced bins at
 * {@code sourceToDetectorMm} from the source, perpendicular to the central ray.
 *
 * <p>Detector positions are given as on a virtual detector through the isocentre (the axis): bin
 * {@code k} lies at {@code u = (k − (bins − 1)/2) · binWidthAtIsocentreMm}. At gantry angle β the
 * central ray runs from the source at {@code −D·(cos β, sin β)} through the isocentre, and u runs
 * along {@code (−sin β, cos β)}.
 *
 * @param sourceToIsocentreMm D, &gt; 0
 * @param sourceToDetectorMm the distance from source to detector, ≥ D (sets the magnification)
 * @param bins number of detector bins, ≥ 2
 * @param binWidthAtIsocentreMm bin width scaled to the isocentre, &gt; 0
 */
public record FanBeamGeometry(
    double sourceToIsocentreMm, double sourceToDetectorMm, int bins, double binWidthAtIsocentreMm) {
  /** Default source-to-isocentre distance in mm. */
  public static final double DEFAULT_SOURCE_TO_ISOCENTRE_MM = 1000;

  /** Default source-to-detector distance in mm. */
  public static final double DEFAULT_SOURCE_TO_DETECTOR_MM = 1500;

  /** Width of the default detector (at the isocentre) as a multiple of the field of view. */
  public static final double DETECTOR_TO_FIELD = 1.5;

  public FanBeamGeometry {
    if (!(sourceToIsocentreMm > 0)
        || !(sourceToDetectorMm >= sourceToIsocentreMm)
        || !(binWidthAtIsocentreMm > 0)
        || !Double.isFinite(sourceToDetectorMm)
        || !Double.isFinite(binWidthAtIsocentreMm)) {
      throw new IllegalArgumentException(
          "bad fan-beam geometry: source to isocentre "
              + sourceToIsocentreMm
              + " mm, source to detector "
              + sourceToDetectorMm
              + " mm, bin width "
              + binWidthAtIsocentreMm
              + " mm");
    }
    if (bins < 2) {
      throw new IllegalArgumentException("need at least 2 detector bins: " + bins);
    }
  }

  /**
   * The default scanner for a grid: source 1000 mm from the isocentre and 1500 mm from the
   * detector, bins as wide at the isocentre as the grid's smaller in-plane spacing, and a detector
   * {@link #DETECTOR_TO_FIELD} times as wide as the grid's larger in-plane field (an even number of
   * bins).
   */
  public static FanBeamGeometry forGrid(Geometry grid) {
    double[] spacing = grid.spacingMm();
    double width = Math.min(spacing[0], spacing[1]);
    double field = Math.max(grid.sizeX() * spacing[0], grid.sizeY() * spacing[1]);
    int bins = 2 * (int) Math.ceil(DETECTOR_TO_FIELD * field / width / 2);
    return new FanBeamGeometry(
        DEFAULT_SOURCE_TO_ISOCENTRE_MM, DEFAULT_SOURCE_TO_DETECTOR_MM, bins, width);
  }

  /** Position u of bin {@code k} on the virtual detector through the isocentre, in mm. */
  public double binPositionMm(int k) {
    return (k - (bins - 1) / 2.0) * binWidthAtIsocentreMm;
  }

  /** Width of the detector scaled to the isocentre, in mm. */
  public double detectorWidthAtIsocentreMm() {
    return bins * binWidthAtIsocentreMm;
  }
}
