package org.voxelwise.imaging.volume.edit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.LabelVolume;
import org.voxelwise.imaging.volume.LiverTumorLabels;
import org.voxelwise.imaging.volume.edit.LabelEditor.Tool;

class LabelEditorTest {
  private static final int LIVER = LiverTumorLabels.LIVER;
  private static final int TUMOR = LiverTumorLabels.TUMOR;

  private static LabelVolume empty(int nx, int ny, int nz, double... spacingMm) {
    Geometry g = Geometry.axisAligned(nx, ny, nz, spacingMm, new double[3]);
    return new LabelVolume(g, new byte[nx * ny * nz], LiverTumorLabels.TABLE);
  }

  private static Set<String> labelled(LabelEditor editor, int value) {
    Geometry g = editor.geometry();
    Set<String> voxels = new HashSet<>();
    for (int z = 0; z < g.sizeZ(); z++) {
      for (int y = 0; y < g.sizeY(); y++) {
        for (int x = 0; x < g.sizeX(); x++) {
          if ((editor.values()[x + g.sizeX() * (y + g.sizeY() * z)] & 0xff) == value) {
            voxels.add(x + "," + y + "," + z);
          }
        }
      }
    }
    return voxels;
  }

  /** One stroke of one dab. */
  private static void stroke(
      LabelEditor editor, Tool tool, int label, int x, int y, int z, int axis, double radiusMm) {
    editor.beginStroke(tool, label);
    editor.dab(x, y, z, axis, radiusMm);
    editor.endStroke();
  }

  @Test
  void brushOnAnisotropicPixelsPaintsTheDiscInMillimetres() {
    // Pixels 0.5 mm wide and 2 mm tall: a 2 mm radius reaches 4 columns but only 1 row.
    LabelEditor editor = new LabelEditor(empty(20, 20, 5, 0.5, 2.0, 3.0));
    editor.beginStroke(Tool.BRUSH, LIVER);
    int changed = editor.dab(10, 10, 2, 2, 2.0);
    editor.endStroke();

    Set<String> expected = new HashSet<>();
    for (int dy = -1; dy <= 1; dy++) {
      for (int dx = -4; dx <= 4; dx++) {
        double x = dx * 0.5;
        double y = dy * 2.0;
        if (x * x + y * y <= 4.0) {
          expected.add((10 + dx) + "," + (10 + dy) + ",2");
        }
      }
    }
    // Row 10: columns 6..14 (9); rows 9 and 11: only the centre column (2 mm away exactly).
    assertEquals(11, expected.size());
    assertEquals(expected, labelled(editor, LIVER));
    assertEquals(11, changed);
    assertEquals(11, editor.count(LIVER));
    assertEquals(11 * 0.5 * 2.0 * 3.0 / 1000, editor.volumeMl(LIVER), 1e-12);
  }

  @Test
  void brushInACoronalPlaneUsesTheXAndZSpacingsAndStaysInItsSlice() {
    LabelEditor editor = new LabelEditor(empty(10, 6, 10, 1.0, 1.0, 2.5));
    stroke(editor, Tool.BRUSH, TUMOR, 5, 3, 5, 1, 2.6);
    // x within 2 (all |dx| ≤ 2 fit with dz = 0); dz = ±1 is 2.5 mm: only with dx = 0.
    assertEquals(
        Set.of("3,3,5", "4,3,5", "5,3,5", "6,3,5", "7,3,5", "5,3,4", "5,3,6"),
        labelled(editor, TUMOR));
  }

  @Test
  void tinyRadiusPaintsTheCentreAndDiscsAreClippedAtTheEdge() {
    LabelEditor editor = new LabelEditor(empty(4, 4, 1, 1, 1, 1));
    editor.beginStroke(Tool.BRUSH, LIVER);
    assertEquals(1, editor.dab(0, 0, 0, 2, 0.1));
    assertEquals(2, editor.dab(0, 0, 0, 2, 1.0));
    assertEquals(0, editor.dab(0, 0, 3, 2, 5.0), "a slice outside the grid paints nothing");
    editor.endStroke();
    assertEquals(Set.of("0,0,0", "1,0,0", "0,1,0"), labelled(editor, LIVER));
  }

  @Test
  void eraserClearsOnlyTheCurrentLabel() {
    LabelEditor editor = new LabelEditor(empty(9, 9, 1, 1, 1, 1));
    stroke(editor, Tool.BRUSH, LIVER, 4, 4, 0, 2, 3);
    stroke(editor, Tool.BRUSH, TUMOR, 4, 4, 0, 2, 0);
    long liver = editor.count(LIVER);

    editor.beginStroke(Tool.ERASER, LIVER);
    int erased = editor.dab(4, 4, 0, 2, 1);
    editor.endStroke();

    assertEquals(4, erased, "the 4 neighbours; the tumor centre is kept");
    assertEquals(liver - 4, editor.count(LIVER));
    assertEquals(Set.of("4,4,0"), labelled(editor, TUMOR));
    assertEquals(81 - editor.count(LIVER) - 1, editor.count(0));
  }

  @Test
  void aStrokeOfManyDabsIsOneUndoStepAndUndoRedoRestoreExactly() {
    LabelVolume start = empty(32, 32, 3, 0.8, 0.8, 2);
    byte[] initial = start.values();
    initial[5] = (byte) TUMOR;
    LabelEditor editor = new LabelEditor(start);

    editor.beginStroke(Tool.BRUSH, LIVER);
    for (int x = 2; x < 30; x++) {
      editor.dab(x, 16 + (x % 3), 1, 2, 2.0);
    }
    editor.endStroke();
    byte[] afterFirst = editor.values().clone();
    editor.beginStroke(Tool.BRUSH, TUMOR);
    editor.dab(16, 16, 1, 2, 3.0);
    editor.dab(3, 0, 0, 2, 3.0);
    editor.endStroke();
    byte[] afterSecond = editor.values().clone();
    assertFalse(java.util.Arrays.equals(afterFirst, afterSecond));

    assertTrue(editor.undo());
    assertArrayEquals(afterFirst, editor.values());
    assertTrue(editor.undo(), "the whole first stroke is one step");
    assertArrayEquals(initial, editor.values());
    assertEquals(1, editor.count(TUMOR));
    assertEquals(0, editor.count(LIVER));
    assertFalse(editor.undo());

    assertTrue(editor.redo());
    assertArrayEquals(afterFirst, editor.values());
    assertTrue(editor.redo());
    assertArrayEquals(afterSecond, editor.values());
    assertFalse(editor.redo());
    assertEquals(labelled(editor, TUMOR).size(), editor.count(TUMOR));
  }

  @Test
  void aNewStrokeClearsRedoAndEmptyStrokesAddNoStep() {
    LabelEditor editor = new LabelEditor(empty(8, 8, 1, 1, 1, 1));
    stroke(editor, Tool.BRUSH, LIVER, 2, 2, 0, 2, 1);
    editor.undo();
    assertTrue(editor.canRedo());
    stroke(editor, Tool.ERASER, LIVER, 2, 2, 0, 2, 1);
    assertTrue(editor.canRedo(), "an eraser stroke that changed nothing is no step");
    stroke(editor, Tool.BRUSH, TUMOR, 6, 6, 0, 2, 0);
    assertFalse(editor.canRedo());
    assertTrue(editor.undo());
    assertFalse(editor.undo());
  }

  @Test
  void historyIsBoundedByChangedVoxels() {
    LabelEditor editor = new LabelEditor(empty(10, 10, 1, 1, 1, 1), 10);
    for (int x = 0; x < 4; x++) {
      editor.beginStroke(Tool.BRUSH, LIVER);
      editor.dab(x * 3, 0, 0, 2, 1);
      editor.endStroke();
    }
    // The strokes changed 3, 4, 4 and 3 voxels: keeping at most 10 forgets the first two.
    int steps = 0;
    while (editor.undo()) {
      steps++;
    }
    assertEquals(2, steps);
    assertEquals(
        Set.of("0,0,0", "1,0,0", "0,1,0", "2,0,0", "3,0,0", "4,0,0", "3,1,0"),
        labelled(editor, LIVER));
  }

  @Test
  void snapshotIsACopyWithTheTable() {
    LabelEditor editor = new LabelEditor(empty(4, 4, 2, 1, 1, 1));
    stroke(editor, Tool.BRUSH, TUMOR, 1, 1, 1, 2, 0);
    LabelVolume snap = editor.snapshot();
    editor.undo();
    assertEquals(TUMOR, snap.valueAt(1, 1, 1));
    assertEquals(1, snap.count(TUMOR));
    assertEquals(LiverTumorLabels.TABLE, snap.table());
  }

  @Test
  void misuseIsRefused() {
    LabelEditor editor = new LabelEditor(empty(4, 4, 2, 1, 1, 1));
    assertThrows(IllegalStateException.class, () -> editor.dab(0, 0, 0, 2, 1));
    assertThrows(IllegalStateException.class, editor::endStroke);
    assertThrows(IllegalArgumentException.class, () -> editor.beginStroke(Tool.BRUSH, 7));
    editor.beginStroke(Tool.BRUSH, LIVER);
    assertThrows(IllegalStateException.class, () -> editor.beginStroke(Tool.BRUSH, LIVER));
    assertThrows(IllegalArgumentException.class, () -> editor.dab(0, 0, 0, 3, 1));
    assertThrows(IllegalArgumentException.class, () -> editor.dab(0, 0, 0, 2, -1));
    assertFalse(editor.undo(), "no undo in the middle of a stroke");
  }
}
