package org.voxelwise.imaging.render;

import org.voxelwise.imaging.volume.Volume;

/**
 * Renders one slice of a volume in a plane into opaque grey ARGB pixels with a window, then lets an
 * optional {@link SliceOverlay} draw over them. Keeps its value buffer between calls (one renderer
 * per view; not thread-safe).
 */
public final class SliceRenderer {
  private float[] values = new float[0];

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
    if (values.length < n) {
      values = new float[n];
    }
    SliceExtractor.extract(volume, plane, slice, values);
    window.render(values, n, argb);
    if (overlay != null) {
      overlay.composite(plane, slice, phase, argb);
    }
  }
}
