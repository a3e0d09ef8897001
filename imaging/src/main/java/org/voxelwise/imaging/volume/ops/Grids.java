package org.voxelwise.imaging.volume.ops;

/** Argument checks shared by the algorithms of this package. */
final class Grids {
  private Grids() {}

  /** Checks that an array of {@code length} entries fits a grid of the given sizes. */
  static void require(int length, int sizeX, int sizeY, int sizeZ) {
    if (sizeX < 1 || sizeY < 1 || sizeZ < 1 || (long) sizeX * sizeY * sizeZ != length) {
      throw new IllegalArgumentException(
          "array of " + length + " values does not fit " + sizeX + "×" + sizeY + "×" + sizeZ);
    }
  }
}
