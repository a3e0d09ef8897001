package org.voxelwise.imaging.render;

import java.util.List;
import org.voxelwise.imaging.volume.LabelVolume;

/**
 * How the labels of a segmentation are drawn over grey pixels: per label value a colour, a
 * visibility, an opacity and a style (filled, or only its outline), and the compositing of one
 * slice of labels over ARGB pixels.
 *
 * <p>Compositing: a label pixel of value v that is visible, with opacity a &gt; 0 (and, in {@link
 * Style#OUTLINE}, on the outline) replaces each colour channel g of the pixel below by {@code
 * round-down((g·(256 − A) + c·A) / 256)} with {@code A = round(a·256)} and c the label's channel,
 * and makes the pixel opaque. Opacity 0 and hidden labels leave pixels exactly as they were;
 * opacity 1 gives exactly the label's colour. Background (0) and values the table does not name are
 * never drawn.
 *
 * <p>Outline: the pixels of a label that have at least one 4-neighbour in the slice holding another
 * value, or that lie on the slice's edge (so that a region cut by the edge still has a closed
 * outline).
 *
 * <p>The slice is read straight from the label array through strides (see {@link #composite(byte[],
 * int, int, int, int, int, int[])}), so no copy is made and nothing is allocated per frame. Not
 * thread-safe: change the settings and composite from one thread (the UI thread).
 */
public final class LabelOverlay {
  /** Default opacity of a label when an overlay is made. */
  public static final double DEFAULT_OPACITY = 0.5;

  /** How a label is drawn. */
  public enum Style {
    /** Every pixel of the label. */
    FILL,
    /** Only the label's outline pixels. */
    OUTLINE
  }

  private final List<LabelVolume.Label> table;
  private final int[] rgb = new int[256];
  private final boolean[] named = new boolean[256];
  private final boolean[] visible = new boolean[256];
  private final double[] opacity = new double[256];
  private final boolean[] outline = new boolean[256];

  /** Effective blend weight 0..256 per value: 0 when hidden, unnamed or fully transparent. */
  private final int[] weight = new int[256];

  /**
   * An overlay for the labels of {@code table}: each drawn in its table colour, visible, filled, at
   * {@link #DEFAULT_OPACITY}.
   */
  public LabelOverlay(List<LabelVolume.Label> table) {
    this.table = List.copyOf(table);
    for (LabelVolume.Label label : this.table) {
      int v = label.value();
      named[v] = true;
      rgb[v] = label.rgb();
      visible[v] = true;
      opacity[v] = DEFAULT_OPACITY;
      updateWeight(v);
    }
  }

  /** The labels this overlay draws, in table order. */
  public List<LabelVolume.Label> table() {
    return table;
  }

  /** Whether label {@code value} is drawn. */
  public boolean isVisible(int value) {
    return visible[checkNamed(value)];
  }

  /**
   * Shows or hides label {@code value}.
   *
   * @throws IllegalArgumentException when the table does not name {@code value}
   */
  public void setVisible(int value, boolean show) {
    visible[checkNamed(value)] = show;
    updateWeight(value);
  }

  /** Opacity of label {@code value}, 0 (invisible) to 1 (opaque). */
  public double opacity(int value) {
    return opacity[checkNamed(value)];
  }

  /**
   * Sets the opacity of label {@code value}.
   *
   * @param alpha 0 (invisible) to 1 (opaque)
   * @throws IllegalArgumentException when the table does not name {@code value} or {@code alpha} is
   *     outside 0..1
   */
  public void setOpacity(int value, double alpha) {
    if (!(alpha >= 0 && alpha <= 1)) {
      throw new IllegalArgumentException("opacity must be 0..1: " + alpha);
    }
    opacity[checkNamed(value)] = alpha;
    updateWeight(value);
  }

  /** How label {@code value} is drawn. */
  public Style style(int value) {
    return outline[checkNamed(value)] ? Style.OUTLINE : Style.FILL;
  }

  /**
   * Sets how label {@code value} is drawn.
   *
   * @throws IllegalArgumentException when the table does not name {@code value}
   */
  public void setStyle(int value, Style style) {
    outline[checkNamed(value)] = style == Style.OUTLINE;
  }

  private int checkNamed(int value) {
    if (value < 0 || value > 255 || !named[value]) {
      throw new IllegalArgumentException("no label " + value + " in the overlay's table");
    }
    return value;
  }

  private void updateWeight(int v) {
    weight[v] = visible[v] ? (int) Math.round(opacity[v] * 256) : 0;
  }

  /**
   * Composites slice {@code slice} of {@code plane} of a label array over {@code argb}, pixel for
   * pixel as {@link SliceRenderer} lays out the grey pixels of that slice.
   *
   * @param labels label values on {@code plane.geometry()}, x fastest ({@link LabelVolume#values()}
   *     or an editor's array)
   * @throws IllegalArgumentException when {@code labels} does not fit the plane's geometry
   */
  public void composite(byte[] labels, SlicePlane plane, int slice, int[] argb) {
    if (labels.length != plane.geometry().voxelCount()) {
      throw new IllegalArgumentException(
          labels.length + " labels do not fit the " + plane.geometry().voxelCount() + " voxels");
    }
    composite(
        labels,
        plane.baseIndex(slice),
        plane.stepU(),
        plane.stepV(),
        plane.width(),
        plane.height(),
        argb);
  }

  /**
   * This overlay as a layer of a {@link SliceRenderer} drawing {@code labels} (whatever they hold
   * when a slice is drawn; the array is not copied).
   */
  public SliceOverlay layer(byte[] labels) {
    return (plane, slice, phase, argb) -> composite(labels, plane, slice, argb);
  }

  /**
   * Composites one slice of a label array over ARGB pixels. Output pixel (column c, row r), at
   * {@code argb[c + width·r]}, takes the label at {@code labels[offset + c·columnStride +
   * r·rowStride]}; strides may be negative (a flipped view).
   *
   * @param labels the label array (values read as unsigned)
   * @param offset index of the label under output pixel (0, 0)
   * @param columnStride index step from one output column to the next
   * @param rowStride index step from one output row to the next
   * @param width output columns
   * @param height output rows
   * @param argb the pixels to draw on, at least width·height, changed in place
   * @throws IllegalArgumentException when {@code argb} is too small or a corner of the slice lies
   *     outside {@code labels}
   */
  public void composite(
      byte[] labels,
      int offset,
      int columnStride,
      int rowStride,
      int width,
      int height,
      int[] argb) {
    checkSlice(labels.length, offset, columnStride, rowStride, width, height, argb.length);
    for (int r = 0; r < height; r++) {
      int rowStart = offset + r * rowStride;
      int out = r * width;
      boolean edgeRow = r == 0 || r == height - 1;
      for (int c = 0; c < width; c++) {
        int i = rowStart + c * columnStride;
        byte b = labels[i];
        int v = b & 0xff;
        int a = weight[v];
        if (a == 0) {
          continue;
        }
        if (outline[v]
            && !edgeRow
            && c != 0
            && c != width - 1
            && labels[i - columnStride] == b
            && labels[i + columnStride] == b
            && labels[i - rowStride] == b
            && labels[i + rowStride] == b) {
          continue;
        }
        argb[out + c] = blend(argb[out + c], rgb[v], a);
      }
    }
  }

  private static void checkSlice(
      int length, int offset, int columnStride, int rowStride, int width, int height, int pixels) {
    if (width < 1 || height < 1 || (long) width * height > pixels) {
      throw new IllegalArgumentException(
          "output holds " + pixels + " pixels, slice needs " + width + "×" + height);
    }
    long lastColumn = (long) (width - 1) * columnStride;
    long lastRow = (long) (height - 1) * rowStride;
    for (long corner :
        new long[] {offset, offset + lastColumn, offset + lastRow, offset + lastColumn + lastRow}) {
      if (corner < 0 || corner >= length) {
        throw new IllegalArgumentException(
            "slice corner at index " + corner + " lies outside the " + length + " labels");
      }
    }
  }

  /** {@code below} blended towards colour {@code rgb} by {@code a}/256, made opaque. */
  private static int blend(int below, int rgb, int a) {
    int keep = 256 - a;
    int r = (((below >> 16) & 0xff) * keep + ((rgb >> 16) & 0xff) * a) >> 8;
    int g = (((below >> 8) & 0xff) * keep + ((rgb >> 8) & 0xff) * a) >> 8;
    int bl = ((below & 0xff) * keep + (rgb & 0xff) * a) >> 8;
    return 0xff000000 | r << 16 | g << 8 | bl;
  }
}
