package org.voxelwise.imaging.volume;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A voxel labelling (a segmentation) on a {@link Geometry}: one label value per voxel, 0 for
 * background, plus the table that names the other values.
 *
 * <p>Contract: values are unsigned bytes, 0 to 255, stored in one flat array with the same layout
 * as {@link Volume} (index {@code x + sizeX·(y + sizeY·z)}). Value 0 is the background and is never
 * in the table; every other value that occurs in the voxels has exactly one {@link Label} in the
 * table (checked at construction), and the table may name values that do not occur. The array is
 * shared, not copied: callers must not change it after construction. Instances are immutable.
 */
public final class LabelVolume {
  private final Geometry geometry;
  private final byte[] values;
  private final List<Label> table;

  /**
   * @param geometry where the voxels lie
   * @param values one label per voxel (read as unsigned), used and not copied
   * @param table one entry per non-zero value, distinct values
   * @throws IllegalArgumentException when the array does not fit the geometry, the table names a
   *     value twice or names 0, or a voxel holds a value the table does not name
   */
  public LabelVolume(Geometry geometry, byte[] values, List<Label> table) {
    this.geometry = Objects.requireNonNull(geometry, "geometry");
    this.values = Objects.requireNonNull(values, "values");
    this.table = List.copyOf(table);
    if (values.length != geometry.voxelCount()) {
      throw new IllegalArgumentException(
          "label array has " + values.length + " values, geometry needs " + geometry.voxelCount());
    }
    boolean[] named = new boolean[256];
    Set<Integer> seen = new HashSet<>();
    for (Label label : this.table) {
      if (!seen.add(label.value())) {
        throw new IllegalArgumentException("label value " + label.value() + " is named twice");
      }
      named[label.value()] = true;
    }
    for (byte b : values) {
      int v = b & 0xff;
      if (v != 0 && !named[v]) {
        throw new IllegalArgumentException("voxel label " + v + " is not in the label table");
      }
    }
  }

  /**
   * One entry of the label table.
   *
   * @param value the voxel value, 1 to 255
   * @param name a short name, e.g. "liver"
   * @param rgb display colour as 0xRRGGBB
   * @param code an optional coded concept for exports such as DICOM SEG (what the label is, e.g.
   *     SNOMED CT "Liver"), or {@code null}
   * @param category the optional category of {@code code} (DICOM SEG's segmented property category,
   *     e.g. SNOMED CT "Anatomical Structure"), or {@code null}
   */
  public record Label(int value, String name, int rgb, Code code, Code category) {
    /**
     * @throws IllegalArgumentException for a value outside 1..255, a blank name or a colour outside
     *     0..0xFFFFFF
     */
    public Label {
      if (value < 1 || value > 255) {
        throw new IllegalArgumentException("label value must be 1..255: " + value);
      }
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("label " + value + " needs a name");
      }
      if (rgb < 0 || rgb > 0xffffff) {
        throw new IllegalArgumentException("colour must be 0xRRGGBB: " + Integer.toHexString(rgb));
      }
    }

    /** A label without a category. */
    public Label(int value, String name, int rgb, Code code) {
      this(value, name, rgb, code, null);
    }
  }

  /**
   * A coded concept, as DICOM writes it: coding scheme designator, code value and code meaning
   * (e.g. "SCT", "10200004", "Liver"). All three are non-blank.
   */
  public record Code(String scheme, String value, String meaning) {
    /**
     * @throws IllegalArgumentException when a part is null or blank
     */
    public Code {
      for (String s : new String[] {scheme, value, meaning}) {
        if (s == null || s.isBlank()) {
          throw new IllegalArgumentException("a code needs scheme, value and meaning");
        }
      }
    }
  }

  public Geometry geometry() {
    return geometry;
  }

  /** The label table (unmodifiable), in the order given at construction. */
  public List<Label> table() {
    return table;
  }

  /** The table entry of {@code value}, or empty for 0 and for values not in the table. */
  public Optional<Label> label(int value) {
    return table.stream().filter(l -> l.value() == value).findFirst();
  }

  /** The voxel array itself (values unsigned); do not modify. */
  public byte[] values() {
    return values;
  }

  /** Label at flat index {@code x + sizeX·(y + sizeY·z)}, 0 to 255. */
  public int valueAt(int index) {
    return values[index] & 0xff;
  }

  /** Label at voxel (x, y, z), 0 to 255. */
  public int valueAt(int x, int y, int z) {
    return valueAt(x + geometry.sizeX() * (y + geometry.sizeY() * z));
  }

  /** Number of voxels holding {@code value}. */
  public long count(int value) {
    long n = 0;
    for (byte b : values) {
      if ((b & 0xff) == value) {
        n++;
      }
    }
    return n;
  }

  /**
   * Volume in millilitres of the voxels holding {@code value}: voxel count × {@link
   * Geometry#voxelVolumeMl()}.
   */
  public double volumeMl(int value) {
    return count(value) * geometry.voxelVolumeMl();
  }
}
