package org.voxelwise.imaging.render;

import org.voxelwise.imaging.volume.Volume;

/**
 * Copies one slice of a {@link Volume} in a {@link SlicePlane} into a caller's float buffer, row by
 * row ({@code width·height} values), so that scrolling allocates nothing.
 */
public final class SliceExtractor {
  private SliceExtractor() {}

  /**
   * Writes slice {@code slice} of {@code volume} as seen in {@code plane} into {@code out}.
   *
   * @throws IllegalArgumentException when the plane is not of this volume's grid or {@code out}
   *     holds fewer than width·height values
   * @throws IndexOutOfBoundsException for a slice outside 0..sliceCount−1
   */
  public static void extract(Volume volume, SlicePlane plane, int slice, float[] out) {
    if (!plane.geometry().equals(volume.geometry())) {
      throw new IllegalArgumentException("the slice plane belongs to another grid");
    }
    int width = plane.width();
    int height = plane.height();
    if (out.length < width * height) {
      throw new IllegalArgumentException(
          "output holds " + out.length + " values, needs " + width * height);
    }
    int base = plane.baseIndex(slice);
    int stepU = plane.stepU();
    int stepV = plane.stepV();
    if (volume.isShort()) {
      short[] voxels = volume.shortValues();
      for (int v = 0, o = 0; v < height; v++) {
        int index = base + v * stepV;
        for (int u = 0; u < width; u++, o++, index += stepU) {
          out[o] = voxels[index];
        }
      }
    } else {
      for (int v = 0, o = 0; v < height; v++) {
        int index = base + v * stepV;
        for (int u = 0; u < width; u++, o++, index += stepU) {
          out[o] = volume.valueAt(index);
        }
      }
    }
  }
}
