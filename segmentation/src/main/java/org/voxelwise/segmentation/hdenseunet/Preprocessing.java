package org.voxelwise.segmentation.hdenseunet;

import java.util.Arrays;

/**
 * What an {@link HDenseUNet} expects of its input, as recorded in a model's {@code model.json}: the
 * voxel spacing it was trained on, the HU window and the linear scaling to [−1, 1], the slab depth
 * and the in-plane tile size.
 *
 * <p>Normalisation: {@code (clip(hu, huMin, huMax) − huCentre) / huScale}; for the defaults ({@link
 * #defaults}) {@code (clip(hu, −200, 250) − 25) / 225}.
 *
 * @param spacingMm [x, y, z] voxel spacing in mm the model expects (resample other data to it);
 *     copied
 * @param huMin lower end of the HU window
 * @param huMax upper end of the HU window, above {@code huMin}
 * @param huCentre HU value mapped to 0
 * @param huScale HU per unit after scaling, positive
 * @param slabDepth slices per slab, 1 or more
 * @param tileSize in-plane tile side in voxels the model was trained on (any multiple of the
 *     network's in-plane multiple works at inference), 1 or more
 */
public record Preprocessing(
    double[] spacingMm,
    float huMin,
    float huMax,
    float huCentre,
    float huScale,
    int slabDepth,
    int tileSize) {

  /** The simulator's default spacing, 1.5 × 1.5 × 2.5 mm. */
  public static final double[] DEFAULT_SPACING_MM = {1.5, 1.5, 2.5};

  /**
   * Validates and copies the arguments.
   *
   * @throws IllegalArgumentException if a value is out of range
   */
  public Preprocessing {
    if (spacingMm == null
        || spacingMm.length != 3
        || Arrays.stream(spacingMm).anyMatch(s -> !(s > 0))) {
      throw new IllegalArgumentException("spacing must be 3 values > 0 mm");
    }
    spacingMm = spacingMm.clone();
    if (!(huMax > huMin) || !(huScale > 0)) {
      throw new IllegalArgumentException("need huMax > huMin and huScale > 0");
    }
    if (slabDepth < 1 || tileSize < 1) {
      throw new IllegalArgumentException("slabDepth and tileSize must be 1 or more");
    }
  }

  /**
   * The paper's window [−200, 250] HU scaled by {@code (hu − 25) / 225}, at the simulator's default
   * spacing {@link #DEFAULT_SPACING_MM}.
   *
   * @param slabDepth slices per slab
   * @param tileSize in-plane tile side in voxels
   * @return the pre-processing
   */
  public static Preprocessing defaults(int slabDepth, int tileSize) {
    return new Preprocessing(DEFAULT_SPACING_MM, -200f, 250f, 25f, 225f, slabDepth, tileSize);
  }

  @Override
  public double[] spacingMm() {
    return spacingMm.clone();
  }

  /**
   * Clips a HU value to the window and scales it.
   *
   * @param hu a CT value in HU
   * @return the network input value, in [(huMin − huCentre) / huScale, (huMax − huCentre) /
   *     huScale]
   */
  public float normalise(float hu) {
    return (Math.min(Math.max(hu, huMin), huMax) - huCentre) / huScale;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Preprocessing p
        && Arrays.equals(spacingMm, p.spacingMm)
        && huMin == p.huMin
        && huMax == p.huMax
        && huCentre == p.huCentre
        && huScale == p.huScale
        && slabDepth == p.slabDepth
        && tileSize == p.tileSize;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(spacingMm) * 31
        + Float.hashCode(huMin + 3 * huMax + 7 * huCentre + 11 * huScale)
        + 13 * slabDepth
        + 17 * tileSize;
  }
}
