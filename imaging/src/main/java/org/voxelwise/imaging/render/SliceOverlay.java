package org.voxelwise.imaging.render;

/**
 * A layer drawn over a rendered slice (label overlays, brush previews, …): it composites into the
 * opaque grey ARGB pixels {@link SliceRenderer} produced for one slice of one plane.
 *
 * <p>Called on the thread that renders (the JavaFX thread in the viewer), after the grey image and
 * before display, every time the slice is redrawn; it must be fast (the whole redraw of a 512×512
 * slice should stay within a few ms) and must only change {@code argb}, leaving every pixel opaque
 * (alpha 0xff): it blends its colours into the grey itself.
 */
@FunctionalInterface
public interface SliceOverlay {
  /**
   * @param plane the plane and grid of the slice; pixel (u, v) is {@code argb[u + v·width]} and
   *     voxel flat index {@code plane.baseIndex(slice) + u·plane.stepU() + v·plane.stepV()}
   * @param slice the slice index in that plane
   * @param phase the phase shown (0 for a 3D study)
   * @param argb the rendered pixels, width·height values, row by row
   */
  void composite(SlicePlane plane, int slice, int phase, int[] argb);
}
