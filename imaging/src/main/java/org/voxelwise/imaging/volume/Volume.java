package org.voxelwise.imaging.volume;

import java.util.Objects;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.RealType;

/**
 * A 3D image of values (HU for CT) on a {@link Geometry}, with the modality it came from.
 *
 * <p>Voxels are stored in one flat array, x fastest, then y, then z (index {@code x + sizeX·(y +
 * sizeY·z)}): 16-bit signed integers when every value is an integer in [−32768, 32767] (CT in HU),
 * 32-bit floats otherwise. The array is shared, not copied: a volume is as big as its voxels (2
 * bytes each for CT) and callers must not change it after construction. {@link #image()} is an
 * ImgLib2 view of the same array.
 */
public final class Volume {
  private final Geometry geometry;
  private final String modality;
  private final short[] shorts;
  private final float[] floats;

  private Volume(Geometry geometry, String modality, short[] shorts, float[] floats) {
    this.geometry = Objects.requireNonNull(geometry, "geometry");
    this.modality = modality == null ? "" : modality;
    long n = geometry.voxelCount();
    int length = shorts != null ? shorts.length : floats.length;
    if (length != n) {
      throw new IllegalArgumentException(
          "voxel array has " + length + " values, geometry needs " + n);
    }
    this.shorts = shorts;
    this.floats = floats;
  }

  /** A volume whose values are 16-bit integers (HU for CT). The array is used, not copied. */
  public static Volume ofShorts(Geometry geometry, String modality, short[] values) {
    return new Volume(geometry, modality, Objects.requireNonNull(values), null);
  }

  /** A volume of float values. The array is used, not copied. */
  public static Volume ofFloats(Geometry geometry, String modality, float[] values) {
    return new Volume(geometry, modality, null, Objects.requireNonNull(values));
  }

  public Geometry geometry() {
    return geometry;
  }

  /** The DICOM modality (CT, MR, …), or "" when unknown. */
  public String modality() {
    return modality;
  }

  /** Whether values are stored as 16-bit integers ({@link #shortValues()} is then available). */
  public boolean isShort() {
    return shorts != null;
  }

  /**
   * The voxel array itself when {@link #isShort()}; do not modify.
   *
   * @throws IllegalStateException for a float volume
   */
  public short[] shortValues() {
    if (shorts == null) {
      throw new IllegalStateException("volume stores floats");
    }
    return shorts;
  }

  /** Value at flat index {@code x + sizeX·(y + sizeY·z)}. */
  public float valueAt(int index) {
    return shorts != null ? shorts[index] : floats[index];
  }

  /** Value at voxel (x, y, z). */
  public float valueAt(int x, int y, int z) {
    return valueAt(x + geometry.sizeX() * (y + geometry.sizeY() * z));
  }

  /** All values as floats (a copy). */
  public float[] toFloatArray() {
    if (floats != null) {
      return floats.clone();
    }
    float[] f = new float[shorts.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = shorts[i];
    }
    return f;
  }

  /** An ImgLib2 view of the voxels (x, y, z), sharing this volume's array. */
  public RandomAccessibleInterval<? extends RealType<?>> image() {
    long[] dims = {geometry.sizeX(), geometry.sizeY(), geometry.sizeZ()};
    return shorts != null ? ArrayImgs.shorts(shorts, dims) : ArrayImgs.floats(floats, dims);
  }

  /** Bytes held by the voxel array. */
  public long sizeInBytes() {
    return shorts != null ? 2L * shorts.length : 4L * floats.length;
  }

  /** Minimum, maximum and mean of all values. */
  public Statistics statistics() {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double sum = 0;
    int n = shorts != null ? shorts.length : floats.length;
    for (int i = 0; i < n; i++) {
      double v = valueAt(i);
      min = Math.min(min, v);
      max = Math.max(max, v);
      sum += v;
    }
    return new Statistics(min, max, sum / n);
  }

  /** Summary statistics of a volume's values. */
  public record Statistics(double min, double max, double mean) {}
}
