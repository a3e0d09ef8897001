package org.voxelwise.imaging.volume.ops;

/**
 * Connected components of a binary mask on a 3D grid of {@code sizeX × sizeY × sizeZ} voxels (flat,
 * x fastest), with 6- (faces) or 26-connectivity (faces, edges and corners).
 */
public final class ConnectedComponents {
  /** Which neighbours touch. */
  public enum Connectivity {
    /** Voxels sharing a face. */
    SIX,
    /** Voxels sharing a face, an edge or a corner. */
    TWENTY_SIX
  }

  /**
   * A labelling of the components.
   *
   * @param labels per voxel 0 (background) or the component number, 1 to {@code sizes.length}
   * @param sizes voxel count of component {@code c} at index {@code c − 1}
   */
  public record Components(int[] labels, int[] sizes) {
    /** The number of components. */
    public int count() {
      return sizes.length;
    }
  }

  private ConnectedComponents() {}

  /**
   * Labels the connected components of {@code mask}, numbered in the order of their first voxel.
   *
   * @param mask true for foreground, one entry per voxel
   * @throws IllegalArgumentException if the mask does not have sizeX·sizeY·sizeZ entries
   */
  public static Components label(
      boolean[] mask, int sizeX, int sizeY, int sizeZ, Connectivity connectivity) {
    Grids.require(mask.length, sizeX, sizeY, sizeZ);
    int[] labels = new int[mask.length];
    int[] queue = new int[mask.length];
    int[] sizes = new int[16];
    int count = 0;
    int plane = sizeX * sizeY;
    int reach = connectivity == Connectivity.SIX ? 1 : 3;
    for (int seed = 0; seed < mask.length; seed++) {
      if (!mask[seed] || labels[seed] != 0) {
        continue;
      }
      int id = ++count;
      labels[seed] = id;
      int head = 0;
      int tail = 0;
      queue[tail++] = seed;
      while (head < tail) {
        int p = queue[head++];
        int z = p / plane;
        int y = (p - z * plane) / sizeX;
        int x = p - z * plane - y * sizeX;
        for (int dz = -1; dz <= 1; dz++) {
          int nz = z + dz;
          if (nz < 0 || nz >= sizeZ) {
            continue;
          }
          for (int dy = -1; dy <= 1; dy++) {
            int ny = y + dy;
            if (ny < 0 || ny >= sizeY) {
              continue;
            }
            for (int dx = -1; dx <= 1; dx++) {
              int nx = x + dx;
              int steps = Math.abs(dx) + Math.abs(dy) + Math.abs(dz);
              if (nx < 0 || nx >= sizeX || steps == 0 || steps > reach) {
                continue;
              }
              int q = nx + sizeX * ny + plane * nz;
              if (mask[q] && labels[q] == 0) {
                labels[q] = id;
                queue[tail++] = q;
              }
            }
          }
        }
      }
      if (count > sizes.length) {
        sizes = java.util.Arrays.copyOf(sizes, sizes.length * 2);
      }
      sizes[count - 1] = tail;
    }
    return new Components(labels, java.util.Arrays.copyOf(sizes, count));
  }

  /**
   * The largest connected component of {@code mask} (the first found among equally large ones); an
   * all-false mask when {@code mask} is empty.
   *
   * @throws IllegalArgumentException if the mask does not have sizeX·sizeY·sizeZ entries
   */
  public static boolean[] largest(
      boolean[] mask, int sizeX, int sizeY, int sizeZ, Connectivity connectivity) {
    Components c = label(mask, sizeX, sizeY, sizeZ, connectivity);
    boolean[] out = new boolean[mask.length];
    int best = 0;
    for (int i = 0; i < c.count(); i++) {
      if (c.sizes()[i] > (best == 0 ? 0 : c.sizes()[best - 1])) {
        best = i + 1;
      }
    }
    if (best == 0) {
      return out;
    }
    int[] labels = c.labels();
    for (int i = 0; i < out.length; i++) {
      out[i] = labels[i] == best;
    }
    return out;
  }
}
