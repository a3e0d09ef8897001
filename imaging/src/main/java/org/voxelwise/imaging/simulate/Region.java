package org.voxelwise.imaging.simulate;

/**
 * A part of a phantom drawn into a map of tissues: within its bounding box, it decides for each
 * voxel centre what tissue the voxel holds, given the tissue drawn there so far.
 */
interface Region {
  /**
   * The box outside which {@link #paint} never changes anything: {xMin, xMax, yMin, yMax, zMin,
   * zMax} in mm.
   */
  double[] boundsMm();

  /**
   * The tissue (a {@link Tissue} ordinal) of the voxel centred at (x, y, z) mm once this region is
   * drawn over {@code current}; {@code current} where the region does not change it.
   */
  int paint(double x, double y, double z, int current);
}
