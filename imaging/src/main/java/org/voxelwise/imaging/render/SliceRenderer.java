package org.voxelwise.imaging.render;

import org.voxelwise.imaging.volume.Volume;

/**
 * Renders one slice of a volume in a plane into opaque grey ARGB pixels with a window, then lets an
 * optional {@link SliceOverlay} draw over them. 16-bit volumes go through a 65,536-entry lookup
 * table of the window (rebuilt when the window changes) in one pass; float volumes are extracted
 * with {@link SliceExtractor} and windowed value by value. Keeps its buffers between calls (one
 * renderer per view; not thread-safe).
 */
public final class SliceRenderer {
  private float[] values = new float[0];
  private final int[] lookup = new int[1 << 16];
  private WindowLevel lookupWindow;

  /**
   * Renders slice {@code slice} of {@code volume} in {@code plane} into {@code argb} (row by row,
   * width·height values) with {@code window}, then calls {@code overlay} (may be null).
   */
  public void render(
      Volume volume,
      SlicePlane plane,
      int slice,
      int phase,
      WindowLevel window,
      SliceOverlay overlay,
      int[] argb) {
    int n = plane.width() * plane.height();
    if (argb.length < n) {
      throw new IllegalArgumentException("output holds " + argb.length + " pixels, needs " + n);
    }
    if (volume.isShort()) {
      renderShorts(volume, plane, slice, window, argb);
    } else {
      if (values.length < n) {
        values = new float[n];
      }
      SliceExtractor.extract(volume, plane, slice, values);
      window.render(values, n, argb);
    }
    if (overlay != null) {
      overlay.composite(plane, slice, phase, argb);
    }
  }

  private void renderShorts(
      Volume volume, SlicePlane plane, int slice, WindowLevel window, int[] argb) {
    if (!plane.geometry().equals(volume.geometry())) {
      throw new IllegalArgumentException("the slice plane belongs to another grid");
    }
    if (!window.equals(lookupWindow)) {
      for (int i = 0; i < lookup.length; i++) {
        lookup[i] = window.argb((short) i);
      }
      lookupWindow = window;
    }
    short[] voxels = volume.shortValues();
    int width = plane.width();
    int height = plane.height();
    int base = plane.baseIndex(slice);
    int stepU = plane.stepU();
    int stepV = plane.stepV();
    for (int v = 0, o = 0; v < height; v++) {
      int index = base + v * stepV;
      for (int u = 0; u < width; u++, o++, index += stepU) {
        argb[o] = lookup[voxels[index] & 0xffff];
      }
    }
  }
}
