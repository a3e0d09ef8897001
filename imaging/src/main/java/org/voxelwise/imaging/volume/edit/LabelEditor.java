package org.voxelwise.imaging.volume.edit;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.LabelVolume;

/**
 * Corrects a segmentation by hand: a brush that paints the current label and an eraser that clears
 * it, in discs of a radius in mm, with stroke-level undo and redo.
 *
 * <p>Brush shape: a disc in the plane of the view being drawn on, i.e. perpendicular to one voxel
 * axis (the slice only, never its neighbours), holding the voxels whose centres lie within the
 * radius of the centre voxel's centre, measured in mm with the spacings of the two in-plane axes
 * (so on 0.5 × 2 mm pixels a 2 mm radius reaches 4 columns but 1 row). The centre voxel is always
 * included, so a radius below half a pixel paints one voxel. Voxels outside the grid are skipped.
 *
 * <p>The brush sets every voxel of the disc to the current label (other labels included); the
 * eraser sets the voxels of the disc that hold the current label to 0 and leaves other labels.
 *
 * <p>Undo: the dabs between {@link #beginStroke} and {@link #endStroke} are one step. A step stores
 * only the voxels it changed (their index and previous value, 5 bytes each; a voxel changes at most
 * once per stroke). The undo and redo history together keep at most {@code maxHistoryVoxels}
 * changed voxels: older steps are forgotten beyond that. A new stroke clears the redo history.
 *
 * <p>The editor works on its own copy of the labels; {@link #values()} is that live array (for
 * drawing), {@link #snapshot()} an immutable copy (for saving). Counts per label are kept up to
 * date with every change. Not thread-safe: use it from one thread (the UI thread).
 */
public final class LabelEditor {
  /** Default bound of the undo and redo history: 8 M changed voxels (40 MB). */
  public static final long DEFAULT_MAX_HISTORY_VOXELS = 8L << 20;

  /** What a stroke does. */
  public enum Tool {
    /** Sets voxels to the current label. */
    BRUSH,
    /** Clears voxels of the current label to 0. */
    ERASER
  }

  private final Geometry geometry;
  private final List<LabelVolume.Label> table;
  private final byte[] values;
  private final long[] counts = new long[256];
  private final long maxHistoryVoxels;
  private final Deque<Step> undo = new ArrayDeque<>();
  private final Deque<Step> redo = new ArrayDeque<>();
  private long historyVoxels;
  private Step stroke;

  /** An editor on a copy of {@code labels}, with the default history bound. */
  public LabelEditor(LabelVolume labels) {
    this(labels, DEFAULT_MAX_HISTORY_VOXELS);
  }

  /**
   * An editor on a copy of {@code labels}.
   *
   * @param maxHistoryVoxels how many changed voxels the undo and redo history keep at most, ≥ 0
   */
  public LabelEditor(LabelVolume labels, long maxHistoryVoxels) {
    if (maxHistoryVoxels < 0) {
      throw new IllegalArgumentException("history bound must be ≥ 0: " + maxHistoryVoxels);
    }
    this.geometry = labels.geometry();
    this.table = labels.table();
    this.values = labels.values().clone();
    this.maxHistoryVoxels = maxHistoryVoxels;
    for (byte b : values) {
      counts[b & 0xff]++;
    }
  }

  public Geometry geometry() {
    return geometry;
  }

  /** The label table (unmodifiable). */
  public List<LabelVolume.Label> table() {
    return table;
  }

  /** The labels as edited so far, x fastest; live (changes with every edit), do not modify. */
  public byte[] values() {
    return values;
  }

  /** The labels as edited so far, as an immutable label volume (a copy). */
  public LabelVolume snapshot() {
    return new LabelVolume(geometry, values.clone(), table);
  }

  /** Number of voxels now holding {@code value} (0 to 255). */
  public long count(int value) {
    return counts[value];
  }

  /** Volume in mL of the voxels now holding {@code value}. */
  public double volumeMl(int value) {
    return counts[value] * geometry.voxelVolumeMl();
  }

  /**
   * Starts a stroke: the dabs until {@link #endStroke()} will be one undo step.
   *
   * @param tool brush or eraser
   * @param label the current label: one the table names
   * @throws IllegalStateException when a stroke is already going on
   * @throws IllegalArgumentException when the table does not name {@code label}
   */
  public void beginStroke(Tool tool, int label) {
    if (stroke != null) {
      throw new IllegalStateException("a stroke is already going on");
    }
    if (table.stream().noneMatch(l -> l.value() == label)) {
      throw new IllegalArgumentException("no label " + label + " in the table");
    }
    stroke = new Step(tool, (byte) label, (byte) (tool == Tool.BRUSH ? label : 0));
  }

  /**
   * One dab of the current stroke: a disc of {@code radiusMm} around voxel (x, y, z) in the plane
   * perpendicular to voxel axis {@code normalAxis} (0 = x, 1 = y, 2 = z).
   *
   * @return how many voxels this dab changed
   * @throws IllegalStateException outside a stroke
   * @throws IllegalArgumentException for a normal axis other than 0..2 or a radius not ≥ 0
   */
  public int dab(int x, int y, int z, int normalAxis, double radiusMm) {
    if (stroke == null) {
      throw new IllegalStateException("dab outside a stroke");
    }
    if (normalAxis < 0 || normalAxis > 2) {
      throw new IllegalArgumentException("normal axis must be 0, 1 or 2: " + normalAxis);
    }
    if (!(radiusMm >= 0)) {
      throw new IllegalArgumentException("radius must be ≥ 0 mm: " + radiusMm);
    }
    int[] size = {geometry.sizeX(), geometry.sizeY(), geometry.sizeZ()};
    int[] stride = {1, size[0], size[0] * size[1]};
    int[] centre = {x, y, z};
    if (centre[normalAxis] < 0 || centre[normalAxis] >= size[normalAxis]) {
      return 0;
    }
    int a = normalAxis == 0 ? 1 : 0;
    int b = normalAxis == 2 ? 1 : 2;
    double[] spacing = geometry.spacingMm();
    int reachA = (int) Math.floor(radiusMm / spacing[a]);
    int reachB = (int) Math.floor(radiusMm / spacing[b]);
    double r2 = radiusMm * radiusMm;
    int base = centre[normalAxis] * stride[normalAxis];
    int changed = 0;
    for (int db = -reachB; db <= reachB; db++) {
      int ib = centre[b] + db;
      if (ib < 0 || ib >= size[b]) {
        continue;
      }
      double rowMm = db * spacing[b];
      for (int da = -reachA; da <= reachA; da++) {
        int ia = centre[a] + da;
        double colMm = da * spacing[a];
        if (ia < 0 || ia >= size[a] || colMm * colMm + rowMm * rowMm > r2) {
          continue;
        }
        changed += stroke.apply(base + ia * stride[a] + ib * stride[b]) ? 1 : 0;
      }
    }
    return changed;
  }

  /**
   * Ends the current stroke; if it changed any voxel it becomes the newest undo step and the redo
   * history is cleared.
   *
   * @throws IllegalStateException outside a stroke
   */
  public void endStroke() {
    if (stroke == null) {
      throw new IllegalStateException("no stroke to end");
    }
    Step done = stroke;
    stroke = null;
    if (done.size == 0) {
      return;
    }
    done.trim();
    for (Step s : redo) {
      historyVoxels -= s.size;
    }
    redo.clear();
    undo.push(done);
    historyVoxels += done.size;
    while (historyVoxels > maxHistoryVoxels && !undo.isEmpty()) {
      historyVoxels -= undo.removeLast().size;
    }
  }

  /** Whether a stroke is going on. */
  public boolean inStroke() {
    return stroke != null;
  }

  public boolean canUndo() {
    return stroke == null && !undo.isEmpty();
  }

  public boolean canRedo() {
    return stroke == null && !redo.isEmpty();
  }

  /**
   * Undoes the newest step: its voxels get back exactly the values they had before it.
   *
   * @return false when there was nothing to undo (or a stroke is going on)
   */
  public boolean undo() {
    if (!canUndo()) {
      return false;
    }
    Step s = undo.pop();
    s.revert();
    redo.push(s);
    return true;
  }

  /**
   * Redoes the newest undone step.
   *
   * @return false when there was nothing to redo (or a stroke is going on)
   */
  public boolean redo() {
    if (!canRedo()) {
      return false;
    }
    Step s = redo.pop();
    s.replay();
    undo.push(s);
    return true;
  }

  /** The voxels one stroke changed: index and previous value; all now hold {@code newValue}. */
  private final class Step {
    private final Tool tool;
    private final byte label;
    private final byte newValue;
    private int[] indices = new int[256];
    private byte[] previous = new byte[256];
    private int size;

    Step(Tool tool, byte label, byte newValue) {
      this.tool = tool;
      this.label = label;
      this.newValue = newValue;
    }

    /** Applies the stroke's tool to voxel {@code i}; true when it changed. */
    boolean apply(int i) {
      byte old = values[i];
      if (old == newValue || (tool == Tool.ERASER && old != label)) {
        return false;
      }
      if (size == indices.length) {
        indices = Arrays.copyOf(indices, size * 2);
        previous = Arrays.copyOf(previous, size * 2);
      }
      indices[size] = i;
      previous[size] = old;
      size++;
      set(i, newValue);
      return true;
    }

    void trim() {
      indices = Arrays.copyOf(indices, size);
      previous = Arrays.copyOf(previous, size);
    }

    void revert() {
      for (int n = size - 1; n >= 0; n--) {
        set(indices[n], previous[n]);
      }
    }

    void replay() {
      for (int n = 0; n < size; n++) {
        set(indices[n], newValue);
      }
    }
  }

  private void set(int i, byte v) {
    counts[values[i] & 0xff]--;
    counts[v & 0xff]++;
    values[i] = v;
  }
}
