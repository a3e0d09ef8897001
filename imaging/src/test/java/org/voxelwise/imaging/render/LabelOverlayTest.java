package org.voxelwise.imaging.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.LabelVolume;
import org.voxelwise.imaging.volume.Volume;

class LabelOverlayTest {
  private static final int RED = 0xff0000;
  private static final int BLUE = 0x0000ff;
  private static final List<LabelVolume.Label> TABLE =
      List.of(
          new LabelVolume.Label(1, "red", RED, null), new LabelVolume.Label(2, "blue", BLUE, null));
  private static final int GREY = 0xff808080;
  private static final int W = 8;
  private static final int H = 7;

  /** An 8×7 slice with a 4×4 square of label 1 at columns 2..5, rows 1..4. */
  private static byte[] square() {
    byte[] labels = new byte[W * H];
    for (int r = 1; r <= 4; r++) {
      for (int c = 2; c <= 5; c++) {
        labels[c + W * r] = 1;
      }
    }
    return labels;
  }

  private static int[] grey() {
    int[] argb = new int[W * H];
    Arrays.fill(argb, GREY);
    return argb;
  }

  @Test
  void opaqueFillPaintsExactlyTheLabelPixelsInTheLabelColour() {
    LabelOverlay overlay = new LabelOverlay(TABLE);
    overlay.setOpacity(1, 1.0);
    byte[] labels = square();
    int[] argb = grey();
    overlay.composite(labels, 0, 1, W, W, H, argb);
    for (int i = 0; i < argb.length; i++) {
      assertEquals(labels[i] == 1 ? 0xff000000 | RED : GREY, argb[i], "pixel " + i);
    }
  }

  @Test
  void halfOpacityBlendsEachChannel() {
    LabelOverlay overlay = new LabelOverlay(TABLE);
    overlay.setOpacity(1, 0.5);
    int[] argb = grey();
    overlay.composite(square(), 0, 1, W, W, H, argb);
    // (0x80·128 + 0xff·128) / 256 = 0xbf for red, 0x80·128 / 256 = 0x40 for green and blue.
    assertEquals(0xffbf4040, argb[2 + W]);
    assertEquals(GREY, argb[0]);
  }

  @Test
  void opacityZeroLeavesPixelsUnchanged() {
    LabelOverlay overlay = new LabelOverlay(TABLE);
    overlay.setOpacity(1, 0);
    int[] argb = grey();
    argb[3 + W * 2] = 0xff123456;
    int[] before = argb.clone();
    overlay.composite(square(), 0, 1, W, W, H, argb);
    assertArrayEquals(before, argb);
  }

  @Test
  void hiddenLabelIsNotDrawnAndOthersStillAre() {
    LabelOverlay overlay = new LabelOverlay(TABLE);
    overlay.setOpacity(2, 1);
    byte[] labels = square();
    labels[0] = 2;
    overlay.setVisible(1, false);
    int[] argb = grey();
    overlay.composite(labels, 0, 1, W, W, H, argb);
    assertEquals(0xff000000 | BLUE, argb[0]);
    int[] expected = grey();
    expected[0] = 0xff000000 | BLUE;
    assertArrayEquals(expected, argb);

    overlay.setVisible(1, true);
    overlay.composite(labels, 0, 1, W, W, H, argb);
    assertNotEquals(GREY, argb[3 + W * 2]);
  }

  @Test
  void outlineOfASquareIsItsBorder() {
    LabelOverlay overlay = new LabelOverlay(TABLE);
    overlay.setOpacity(1, 1);
    overlay.setStyle(1, LabelOverlay.Style.OUTLINE);
    int[] argb = grey();
    overlay.composite(square(), 0, 1, W, W, H, argb);
    for (int r = 0; r < H; r++) {
      for (int c = 0; c < W; c++) {
        boolean inSquare = r >= 1 && r <= 4 && c >= 2 && c <= 5;
        boolean border = inSquare && (r == 1 || r == 4 || c == 2 || c == 5);
        assertEquals(border ? 0xff000000 | RED : GREY, argb[c + W * r], "(" + c + "," + r + ")");
      }
    }
  }

  @Test
  void outlineIsClosedAtTheSliceEdge() {
    LabelOverlay overlay = new LabelOverlay(TABLE);
    overlay.setOpacity(1, 1);
    overlay.setStyle(1, LabelOverlay.Style.OUTLINE);
    byte[] labels = new byte[W * H];
    Arrays.fill(labels, (byte) 1);
    int[] argb = grey();
    overlay.composite(labels, 0, 1, W, W, H, argb);
    int drawn = 0;
    for (int v : argb) {
      drawn += v == GREY ? 0 : 1;
    }
    assertEquals(2 * W + 2 * (H - 2), drawn, "the frame of the slice");
    assertEquals(GREY, argb[1 + W]);
  }

  @Test
  void stridesReadOtherPlanesWithoutCopying() {
    // A 3×2×4 volume (x, y, z); the coronal plane y = 1 seen with z increasing upwards.
    Geometry g = Geometry.axisAligned(3, 2, 4, new double[] {1, 1, 1}, new double[3]);
    byte[] labels = new byte[3 * 2 * 4];
    labels[2 + 3 * (1 + 2 * 3)] = 1; // x=2, y=1, z=3: top right of that view
    LabelOverlay overlay = new LabelOverlay(TABLE);
    overlay.setOpacity(1, 1);
    int[] argb = new int[3 * 4];
    Arrays.fill(argb, GREY);
    int plane = g.sizeX() * g.sizeY();
    overlay.composite(labels, 3 + plane * 3, 1, -plane, 3, 4, argb);
    assertEquals(0xff000000 | RED, argb[2]);
    assertEquals(1, Arrays.stream(argb).filter(v -> v != GREY).count());
  }

  @Test
  void planeSlicesMatchTheRenderersLayout() {
    // A 4×3×5 volume whose labels equal its values where the value is 1: the overlay must draw
    // exactly where the renderer shows the value 1, in every plane and slice.
    Geometry g = Geometry.axisAligned(4, 3, 5, new double[] {0.7, 0.7, 2}, new double[3]);
    float[] hu = new float[4 * 3 * 5];
    byte[] labels = new byte[hu.length];
    for (int i : new int[] {0, 7, 13, 29, 46, 59}) {
      hu[i] = 1;
      labels[i] = 1;
    }
    Volume volume = Volume.ofFloats(g, "CT", hu);
    LabelOverlay overlay = new LabelOverlay(TABLE);
    overlay.setOpacity(1, 1);
    WindowLevel window = new WindowLevel(0.5, 1);
    SliceRenderer renderer = new SliceRenderer();
    for (Plane p : Plane.values()) {
      SlicePlane plane = new SlicePlane(g, p);
      int n = plane.width() * plane.height();
      for (int s = 0; s < plane.sliceCount(); s++) {
        int[] grey = new int[n];
        renderer.render(volume, plane, s, 0, window, null, grey);
        int[] drawn = new int[n];
        renderer.render(volume, plane, s, 0, window, overlay.layer(labels), drawn);
        for (int i = 0; i < n; i++) {
          boolean white = grey[i] == 0xffffffff;
          assertEquals(white ? 0xff000000 | RED : grey[i], drawn[i], p + " slice " + s + " @" + i);
        }
      }
    }
  }

  @Test
  void unnamedValuesAndBadSettingsAreRefused() {
    LabelOverlay overlay = new LabelOverlay(TABLE);
    assertThrows(IllegalArgumentException.class, () -> overlay.setOpacity(3, 0.5));
    assertThrows(IllegalArgumentException.class, () -> overlay.setOpacity(1, 1.5));
    assertThrows(IllegalArgumentException.class, () -> overlay.setVisible(0, true));
    assertThrows(
        IllegalArgumentException.class,
        () -> overlay.composite(new byte[10], 0, 1, W, W, H, grey()));
  }
}
