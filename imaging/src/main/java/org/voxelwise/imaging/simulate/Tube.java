package org.voxelwise.imaging.simulate;

/**
 * A tube along a polyline, its radius varying linearly along each segment: the union of rounded
 * cones between successive points. {@link #depth} tells how far inside the tube wall a point lies.
 */
final class Tube {
  private final double[][] points;
  private final double[] radii;
  private final double[][] segmentBounds;
  private final double[] bounds;

  /**
   * @param points at least one point, [x, y, z] mm each
   * @param radii the radius in mm at each point
   */
  Tube(double[][] points, double[] radii) {
    if (points.length == 0 || points.length != radii.length) {
      throw new IllegalArgumentException("a tube needs one radius per point");
    }
    this.points = points.clone();
    this.radii = radii.clone();
    int segments = Math.max(1, points.length - 1);
    segmentBounds = new double[segments][];
    bounds =
        new double[] {
          Double.MAX_VALUE,
          -Double.MAX_VALUE,
          Double.MAX_VALUE,
          -Double.MAX_VALUE,
          Double.MAX_VALUE,
          -Double.MAX_VALUE
        };
    for (int s = 0; s < segments; s++) {
      double[] a = points[s];
      double[] b = points[Math.min(s + 1, points.length - 1)];
      double r = Math.max(radii[s], radii[Math.min(s + 1, points.length - 1)]);
      double[] box = new double[6];
      for (int c = 0; c < 3; c++) {
        box[2 * c] = Math.min(a[c], b[c]) - r;
        box[2 * c + 1] = Math.max(a[c], b[c]) + r;
        bounds[2 * c] = Math.min(bounds[2 * c], box[2 * c]);
        bounds[2 * c + 1] = Math.max(bounds[2 * c + 1], box[2 * c + 1]);
      }
      segmentBounds[s] = box;
    }
  }

  double[] boundsMm() {
    return bounds.clone();
  }

  /**
   * How deep inside the tube the point lies, in mm: the largest, over the segments, of the local
   * radius minus the distance to the segment's axis; negative outside.
   */
  double depth(double x, double y, double z) {
    double best = -Double.MAX_VALUE;
    for (int s = 0; s < segmentBounds.length; s++) {
      double[] box = segmentBounds[s];
      if (x < box[0] || x > box[1] || y < box[2] || y > box[3] || z < box[4] || z > box[5]) {
        continue;
      }
      int e = Math.min(s + 1, points.length - 1);
      double[] a = points[s];
      double[] b = points[e];
      double dx = b[0] - a[0];
      double dy = b[1] - a[1];
      double dz = b[2] - a[2];
      double len2 = dx * dx + dy * dy + dz * dz;
      double t =
          len2 == 0
              ? 0
              : Math.max(
                  0, Math.min(1, ((x - a[0]) * dx + (y - a[1]) * dy + (z - a[2]) * dz) / len2));
      double px = a[0] + t * dx - x;
      double py = a[1] + t * dy - y;
      double pz = a[2] + t * dz - z;
      double r = radii[s] + t * (radii[e] - radii[s]);
      best = Math.max(best, r - Math.sqrt(px * px + py * py + pz * pz));
    }
    return best;
  }
}
