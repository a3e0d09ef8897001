package org.voxelwise.imaging.volume.ops;

import org.voxelwise.imaging.volume.Geometry;

/** Binary morphology on 3D masks (flat, x fastest): dilation by a ball and hole filling. */
public final class Morphology {
  private Morphology() {}

  /**
   * Dilation by a ball of {@code radiusMm} in patient space: a voxel is set when its centre lies
   * within {@code radiusMm} of the centre of a set voxel (using the grid's spacing, so the ball is
   * round in mm on an anisotropic grid).
   *
   * @param mask the mask on {@code geometry}
   * @param radiusMm ≥ 0
   * @return a new mask
   * @throws IllegalArgumentException if the mask does not fit or the radius is negative
   */
  public static boolean[] dilateMm(boolean[] mask, Geometry geometry, double radiusMm) {
    return dilate(
        mask, geometry.sizeX(), geometry.sizeY(), geometry.sizeZ(), geometry.spacingMm(), radiusMm);
  }

  /**
   * Dilation by a ball of {@code radiusVoxels} voxels (isotropic in voxel units).
   *
   * @return a new mask
   * @throws IllegalArgumentException if the mask does not fit or the radius is negative
   */
  public static boolean[] dilateVoxels(
      boolean[] mask, int sizeX, int sizeY, int sizeZ, double radiusVoxels) {
    return dilate(mask, sizeX, sizeY, sizeZ, new double[] {1, 1, 1}, radiusVoxels);
  }

  private static boolean[] dilate(
      boolean[] mask, int sizeX, int sizeY, int sizeZ, double[] spacing, double radius) {
    if (!(radius >= 0)) {
      throw new IllegalArgumentException("radius must be ≥ 0: " + radius);
    }
    float[] d2 = DistanceTransform.squaredMm(mask, sizeX, sizeY, sizeZ, spacing);
    double r2 = radius * radius * (1 + 1e-9);
    boolean[] out = new boolean[mask.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = d2[i] <= r2;
    }
    return out;
  }

  /**
   * Fills the holes of a 3D mask: background voxels that cannot be reached from the grid's border
   * through background (6-connected) become foreground.
   *
   * @return a new mask
   * @throws IllegalArgumentException if the mask does not fit the sizes
   */
  public static boolean[] fillHoles3d(boolean[] mask, int sizeX, int sizeY, int sizeZ) {
    Grids.require(mask.length, sizeX, sizeY, sizeZ);
    return fill(mask, sizeX, sizeY, 0, sizeZ, true);
  }

  /**
   * Fills the holes of each axial slice (z constant) on its own: background pixels that cannot be
   * reached from the slice's border through background (4-connected) become foreground.
   *
   * @return a new mask
   * @throws IllegalArgumentException if the mask does not fit the sizes
   */
  public static boolean[] fillHoles2d(boolean[] mask, int sizeX, int sizeY, int sizeZ) {
    Grids.require(mask.length, sizeX, sizeY, sizeZ);
    boolean[] out = new boolean[mask.length];
    for (int z = 0; z < sizeZ; z++) {
      boolean[] slice = fill(mask, sizeX, sizeY, z, z + 1, false);
      int base = sizeX * sizeY * z;
      System.arraycopy(slice, base, out, base, sizeX * sizeY);
    }
    return out;
  }

  /** Floods background from the border of slices [z0, z1), in 3D or in-plane only. */
  private static boolean[] fill(
      boolean[] mask, int sizeX, int sizeY, int z0, int z1, boolean threeD) {
    int plane = sizeX * sizeY;
    boolean[] outside = new boolean[mask.length];
    int[] queue = new int[plane * (z1 - z0)];
    int tail = 0;
    for (int z = z0; z < z1; z++) {
      for (int y = 0; y < sizeY; y++) {
        for (int x = 0; x < sizeX; x++) {
          boolean border =
              x == 0
                  || y == 0
                  || x == sizeX - 1
                  || y == sizeY - 1
                  || (threeD && (z == z0 || z == z1 - 1));
          int p = x + sizeX * y + plane * z;
          if (border && !mask[p]) {
            outside[p] = true;
            queue[tail++] = p;
          }
        }
      }
    }
    int head = 0;
    int[] dx = {1, -1, 0, 0, 0, 0};
    int[] dy = {0, 0, 1, -1, 0, 0};
    int[] dz = {0, 0, 0, 0, 1, -1};
    int directions = threeD ? 6 : 4;
    while (head < tail) {
      int p = queue[head++];
      int z = p / plane;
      int y = (p - z * plane) / sizeX;
      int x = p - z * plane - y * sizeX;
      for (int d = 0; d < directions; d++) {
        int nx = x + dx[d];
        int ny = y + dy[d];
        int nz = z + dz[d];
        if (nx < 0 || ny < 0 || nz < z0 || nx >= sizeX || ny >= sizeY || nz >= z1) {
          continue;
        }
        int q = nx + sizeX * ny + plane * nz;
        if (!mask[q] && !outside[q]) {
          outside[q] = true;
          queue[tail++] = q;
        }
      }
    }
    boolean[] out = new boolean[mask.length];
    for (int z = z0; z < z1; z++) {
      for (int i = plane * z; i < plane * (z + 1); i++) {
        out[i] = !outside[i];
      }
    }
    return out;
  }
}
