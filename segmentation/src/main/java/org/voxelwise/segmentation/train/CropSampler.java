package org.voxelwise.segmentation.train;

import java.util.Random;
import org.voxelwise.segmentation.hdenseunet.Preprocessing;

/**
 * Cuts training slabs out of a {@link TrainingCase}: {@code depth} consecutive slices × a {@code
 * size}×{@code size} in-plane crop, normalised by a {@link Preprocessing}, with labels.
 *
 * <p>Where ({@link #sample}): one crop in three is centred on a uniformly random voxel of the
 * volume, one on a random liver voxel, one on a random tumor voxel (a liver voxel when the case has
 * no tumor); the in-plane centre is then moved by up to ±size/4 and the slab by up to ±depth/4
 * slices, so the organ is not always in the middle.
 *
 * <p>Augmentation (when on): an in-plane rotation of ±{@value #MAX_ROTATION_DEGREES}° and scaling
 * by 0.9–1.1 about the crop centre (bilinear for HU, nearest neighbour for labels); a HU gain of
 * 0.95–1.05 and offset of ±15 HU; Gaussian noise of 0–8 HU. No flips: the anatomy is lateralised
 * (the liver is on the patient's right). Outside the volume, HU is −1024 and the label background.
 */
public final class CropSampler {

  /** Largest in-plane rotation of the augmentation, in degrees. */
  public static final double MAX_ROTATION_DEGREES = 10;

  private static final float AIR_HU = -1024f;

  private final Preprocessing preprocessing;
  private final int depth;
  private final int size;

  /**
   * A slab: image {@code depth × size × size} (z, y, x order, normalised) and labels of the same
   * shape.
   *
   * @param image network input values
   * @param labels class indices
   * @param depth slices
   * @param size rows and columns
   */
  public record Crop(float[] image, int[] labels, int depth, int size) {}

  /**
   * Builds a sampler.
   *
   * @param preprocessing HU window and scaling
   * @param depth slices per slab, 1 or more
   * @param size rows and columns of a crop, 1 or more
   */
  public CropSampler(Preprocessing preprocessing, int depth, int size) {
    if (depth < 1 || size < 1) {
      throw new IllegalArgumentException("depth and size must be 1 or more");
    }
    this.preprocessing = preprocessing;
    this.depth = depth;
    this.size = size;
  }

  /**
   * A random liver-biased slab (see the class comment).
   *
   * @param c the case
   * @param rng the random source
   * @param augment whether to augment
   * @return the crop
   */
  public Crop sample(TrainingCase c, Random rng, boolean augment) {
    int kind = rng.nextInt(3);
    int voxel;
    if (kind == 0 || c.liverVoxels().length == 0) {
      voxel = rng.nextInt(c.hu().length);
    } else if (kind == 2 && c.tumorVoxels().length > 0) {
      voxel = c.tumorVoxels()[rng.nextInt(c.tumorVoxels().length)];
    } else {
      voxel = c.liverVoxels()[rng.nextInt(c.liverVoxels().length)];
    }
    int plane = c.sizeX() * c.sizeY();
    int quarter = Math.max(1, size / 4);
    int cx = voxel % c.sizeX() + rng.nextInt(2 * quarter + 1) - quarter;
    int cy = (voxel / c.sizeX()) % c.sizeY() + rng.nextInt(2 * quarter + 1) - quarter;
    int zQuarter = depth / 4;
    int cz = voxel / plane + rng.nextInt(2 * zQuarter + 1) - zQuarter;
    if (!augment) {
      return crop(c, cx, cy, cz, 0, 1, 1, 0, 0, rng);
    }
    double angle = Math.toRadians((2 * rng.nextDouble() - 1) * MAX_ROTATION_DEGREES);
    double scale = 0.9 + 0.2 * rng.nextDouble();
    double gain = 0.95 + 0.1 * rng.nextDouble();
    double offset = (2 * rng.nextDouble() - 1) * 15;
    double noise = 8 * rng.nextDouble();
    return crop(c, cx, cy, cz, angle, scale, gain, offset, noise, rng);
  }

  /**
   * The slab centred on voxel (cx, cy) in-plane whose slices start at {@code cz − depth/2} (moved
   * inside the volume where possible), without augmentation.
   *
   * @param c the case
   * @param cx centre column
   * @param cy centre row
   * @param cz centre slice
   * @return the crop
   */
  public Crop centred(TrainingCase c, int cx, int cy, int cz) {
    return crop(c, cx, cy, cz, 0, 1, 1, 0, 0, null);
  }

  private Crop crop(
      TrainingCase c,
      int cx,
      int cy,
      int cz,
      double angle,
      double scale,
      double gain,
      double offset,
      double noise,
      Random rng) {
    int z0 = Math.max(0, Math.min(cz - depth / 2, c.sizeZ() - depth));
    float[] image = new float[depth * size * size];
    int[] labels = new int[image.length];
    double cos = Math.cos(angle) * scale;
    double sin = Math.sin(angle) * scale;
    int half = size / 2;
    int i = 0;
    for (int dz = 0; dz < depth; dz++) {
      int z = z0 + dz;
      for (int v = 0; v < size; v++) {
        for (int u = 0; u < size; u++, i++) {
          double du = u - half;
          double dv = v - half;
          double x = cx + cos * du - sin * dv;
          double y = cy + sin * du + cos * dv;
          double hu = bilinear(c, x, y, z) * gain + offset;
          if (noise > 0) {
            hu += noise * rng.nextGaussian();
          }
          image[i] = preprocessing.normalise((float) hu);
          labels[i] = label(c, (int) Math.round(x), (int) Math.round(y), z);
        }
      }
    }
    return new Crop(image, labels, depth, size);
  }

  private static float bilinear(TrainingCase c, double x, double y, int z) {
    int x0 = (int) Math.floor(x);
    int y0 = (int) Math.floor(y);
    double fx = x - x0;
    double fy = y - y0;
    if (fx == 0 && fy == 0) {
      return hu(c, x0, y0, z);
    }
    double top = hu(c, x0, y0, z) * (1 - fx) + hu(c, x0 + 1, y0, z) * fx;
    double bottom = hu(c, x0, y0 + 1, z) * (1 - fx) + hu(c, x0 + 1, y0 + 1, z) * fx;
    return (float) (top * (1 - fy) + bottom * fy);
  }

  private static float hu(TrainingCase c, int x, int y, int z) {
    if (x < 0 || y < 0 || z < 0 || x >= c.sizeX() || y >= c.sizeY() || z >= c.sizeZ()) {
      return AIR_HU;
    }
    return c.hu()[x + c.sizeX() * (y + c.sizeY() * z)];
  }

  private static int label(TrainingCase c, int x, int y, int z) {
    if (x < 0 || y < 0 || z < 0 || x >= c.sizeX() || y >= c.sizeY() || z >= c.sizeZ()) {
      return 0;
    }
    return c.labels()[x + c.sizeX() * (y + c.sizeY() * z)];
  }
}
