package org.voxelwise.imaging.render;

import org.voxelwise.imaging.volume.Volume;

/**
 * A display window: values from {@code center − width/2} to {@code center + width/2} map linearly
 * onto black…white; values outside are clamped.
 *
 * @param center window centre (level), in the volume's units (HU for CT)
 * @param width window width, &gt; 0
 */
public record WindowLevel(double center, double width) {
  /** Soft-tissue abdomen window, 40/400 HU. */
  public static final WindowLevel ABDOMEN = new WindowLevel(40, 400);

  public WindowLevel {
    if (!(width > 0)) {
      throw new IllegalArgumentException("window width must be > 0: " + width);
    }
  }

  /** The grey level 0–255 of a value. */
  public int grey(float value) {
    double g = (value - (center - width / 2)) * 255.0 / width;
    return g <= 0 ? 0 : g >= 255 ? 255 : (int) (g + 0.5);
  }

  /**
   * Renders axial slice {@code z} of a volume into opaque ARGB pixels, row by row ({@code out} must
   * hold sizeX·sizeY values).
   */
  public void renderAxial(Volume volume, int z, int[] out) {
    int plane = volume.geometry().sizeX() * volume.geometry().sizeY();
    if (z < 0 || z >= volume.geometry().sizeZ()) {
      throw new IndexOutOfBoundsException("slice " + z + " of " + volume.geometry().sizeZ());
    }
    if (out.length < plane) {
      throw new IllegalArgumentException("output holds " + out.length + " pixels, needs " + plane);
    }
    int base = z * plane;
    for (int i = 0; i < plane; i++) {
      out[i] = argb(volume.valueAt(base + i));
    }
  }

  /** Renders the first {@code count} values into opaque grey ARGB pixels of {@code out}. */
  public void render(float[] values, int count, int[] out) {
    for (int i = 0; i < count; i++) {
      out[i] = argb(values[i]);
    }
  }

  /** The opaque grey ARGB pixel of a value. */
  public int argb(float value) {
    int g = grey(value);
    return 0xff000000 | g << 16 | g << 8 | g;
  }
}
