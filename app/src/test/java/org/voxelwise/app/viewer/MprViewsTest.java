package org.voxelwise.app.viewer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.voxelwise.app.viewer.ViewerTestSupport.expectedPixels;
import static org.voxelwise.app.viewer.ViewerTestSupport.onFx;
import static org.voxelwise.app.viewer.ViewerTestSupport.openAndWait;
import static org.voxelwise.app.viewer.ViewerTestSupport.screenPointOf;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;
import org.voxelwise.imaging.render.AutoWindow;
import org.voxelwise.imaging.render.PatientTransform;
import org.voxelwise.imaging.render.WindowLevel;
import org.voxelwise.imaging.render.WindowPreset;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.Volume;

/**
 * The sample abdominal CT (256×256×100, 1.5×1.5×2.5 mm) in the viewer: the 1×3 layout and its
 * aspect, crosshair linking, window presets and auto window, the value under the cursor, the ruler,
 * zoom and reset.
 */
@ExtendWith(ApplicationExtension.class)
class MprViewsTest {
  @TempDir Path temp;
  private ViewerApp app;
  private Volume volume;

  @Start
  void start(Stage stage) {
    app = new ViewerApp();
    app.recentFiles = new RecentFiles(temp.resolve("recent.txt"));
    app.start(stage);
  }

  @BeforeEach
  void open() throws Exception {
    openAndWait(app, ViewerTestSupport.sampleData().resolve("abdomen-ct").resolve("ct"));
    volume = onFx(() -> app.model.volume());
  }

  @AfterEach
  void closeWindows() throws Exception {
    FxToolkit.cleanupStages();
  }

  /** Switches to the 1×3 layout and waits until the three views are laid out side by side. */
  private void showThreeViews(FxRobot robot) throws Exception {
    robot.clickOn(app.oneByThree);
    WaitForAsyncUtils.waitFor(
        ViewerTestSupport.TIMEOUT_S,
        java.util.concurrent.TimeUnit.SECONDS,
        () ->
            onFx(
                () ->
                    app.sagittal.getScene() != null
                        && app.sagittal.getWidth() > 100
                        && Math.abs(app.axial.getWidth() - app.sagittal.getWidth()) < 2));
    WaitForAsyncUtils.waitForFxEvents();
  }

  @Test
  void oneByThreeShowsThreeViewsWithTheAspectOfTheSpacing(FxRobot robot) throws Exception {
    assertEquals(List.of(app.axial), onFx(() -> app.shownViews()));
    showThreeViews(robot);
    List<Node> shown = onFx(() -> app.shownViews());
    assertEquals(List.of(app.axial, app.coronal, app.sagittal), shown);
    Geometry g = volume.geometry();
    double[] spacing = g.spacingMm();
    assertEquals(2.5, spacing[2], 1e-6);
    for (SliceView view : List.of(app.axial, app.coronal, app.sagittal)) {
      assertTrue(onFx(() -> view.getWidth() > 100 && view.getHeight() > 100), "laid out");
      // Drawn size on screen: width·pixelWidth : height·pixelHeight.
      double[] drawn =
          onFx(
              () ->
                  new double[] {
                    view.screenX(view.slicePlane().width()) - view.screenX(0),
                    view.screenY(view.slicePlane().height()) - view.screenY(0)
                  });
      double expected =
          onFx(
              () ->
                  view.slicePlane().height()
                      * view.slicePlane().pixelHeightMm()
                      / (view.slicePlane().width() * view.slicePlane().pixelWidthMm()));
      assertEquals(expected, drawn[1] / drawn[0], 1e-6, view.plane() + " drawn " + drawn[0]);
    }
    assertEquals(2.5 / spacing[0], onFx(() -> app.coronal.slicePlane().aspect()), 1e-9);
    assertEquals(2.5 / spacing[1], onFx(() -> app.sagittal.slicePlane().aspect()), 1e-9);
    assertEquals(g.sizeZ(), onFx(() -> app.coronal.slicePlane().height()));
    String[] letters = onFx(() -> app.coronal.slicePlane().edgeLetters());
    assertArrayEquals(new String[] {"R", "L", "S", "I"}, letters);

    robot.clickOn(app.oneByOne);
    assertEquals(1, onFx(() -> app.shownViews().size()));
  }

  @Test
  void clickingInOneViewMovesTheOthers(FxRobot robot) throws Exception {
    showThreeViews(robot);
    int[] target = {70, 150, 30};
    // Scroll the axial view to slice 30 by keys, then click the voxel (70, 150) in it.
    robot.moveTo(app.axial);
    int steps = 30 - onFx(() -> app.axial.slice());
    for (int i = 0; i < Math.abs(steps); i++) {
      robot.type(steps > 0 ? KeyCode.UP : KeyCode.DOWN);
    }
    assertEquals(30, onFx(() -> app.axial.slice()));
    Point2D p = screenPointOf(app.axial, target);
    robot.clickOn(p, MouseButton.PRIMARY);
    WaitForAsyncUtils.waitForFxEvents();

    // In 1×3 a voxel is smaller than a screen pixel, so the click lands within a voxel of the
    // target; every view then shows the slices through the clicked voxel.
    int[] clicked = onFx(() -> app.model.crosshairProperty().get());
    assertEquals(30, clicked[2], "the axial slice stays");
    assertEquals(target[0], clicked[0], 1);
    assertEquals(target[1], clicked[1], 1);
    assertEquals(clicked[1], onFx(() -> app.coronal.slice()));
    assertEquals(clicked[0], onFx(() -> app.sagittal.slice()));
    assertArrayEquals(
        expectedPixels(app.coronal, volume, clicked[1], WindowLevel.ABDOMEN),
        onFx(() -> app.coronal.renderedPixels()));
    assertArrayEquals(
        expectedPixels(app.sagittal, volume, clicked[0], WindowLevel.ABDOMEN),
        onFx(() -> app.sagittal.renderedPixels()));

    // And back: a click in the sagittal view at another height moves the axial and coronal views.
    int[] second = {clicked[0], 100, 60};
    robot.clickOn(screenPointOf(app.sagittal, second), MouseButton.PRIMARY);
    int[] now = onFx(() -> app.model.crosshairProperty().get());
    assertEquals(clicked[0], now[0], "the sagittal slice stays");
    assertEquals(60, now[2], 1);
    assertEquals(100, now[1], 1);
    assertEquals(now[2], onFx(() -> app.axial.slice()));
    assertEquals(now[1], onFx(() -> app.coronal.slice()));
    assertArrayEquals(
        expectedPixels(app.axial, volume, now[2], WindowLevel.ABDOMEN),
        onFx(() -> app.axial.renderedPixels()));
  }

  @Test
  void presetsAndAutoChangeTheRenderedPixels(FxRobot robot) throws Exception {
    int z = onFx(() -> app.axial.slice());
    int[] abdomen = onFx(() -> app.axial.renderedPixels());
    assertArrayEquals(expectedPixels(app.axial, volume, z, WindowLevel.ABDOMEN), abdomen);

    robot.moveTo(app.axial);
    robot.type(KeyCode.DIGIT3);
    int[] lung = onFx(() -> app.axial.renderedPixels());
    assertNotEquals(java.util.Arrays.hashCode(abdomen), java.util.Arrays.hashCode(lung));
    assertArrayEquals(expectedPixels(app.axial, volume, z, WindowPreset.LUNG.window()), lung);

    robot.clickOn("Bone");
    assertEquals(WindowPreset.BONE.window(), onFx(() -> app.model.windowLevelProperty().get()));
    assertArrayEquals(
        expectedPixels(app.axial, volume, z, WindowPreset.BONE.window()),
        onFx(() -> app.axial.renderedPixels()));

    robot.type(KeyCode.A);
    WindowLevel auto = AutoWindow.of(volume);
    assertEquals(auto, onFx(() -> app.model.windowLevelProperty().get()));
    assertArrayEquals(
        expectedPixels(app.axial, volume, z, auto), onFx(() -> app.axial.renderedPixels()));

    // Dragging right in W/L mode widens the window.
    robot.clickOn(app.windowTool);
    Point2D centre = screenPointOf(app.axial, new int[] {128, 128, z});
    robot.drag(centre, MouseButton.PRIMARY).moveBy(120, 0).release(MouseButton.PRIMARY);
    WindowLevel dragged = onFx(() -> app.model.windowLevelProperty().get());
    assertTrue(dragged.width() > auto.width() * 1.3, dragged + " vs " + auto);
    assertArrayEquals(
        expectedPixels(app.axial, volume, z, dragged), onFx(() -> app.axial.renderedPixels()));
  }

  @Test
  void statusBarShowsTheValueAndPatientPositionUnderTheCursor(FxRobot robot) throws Exception {
    int z = onFx(() -> app.axial.slice());
    for (int[] voxel : new int[][] {{128, 128, z}, {40, 200, z}, {200, 60, z}}) {
      robot.moveTo(screenPointOf(app.axial, voxel));
      WaitForAsyncUtils.waitForFxEvents();
      double[] p = new PatientTransform(volume.geometry()).toPatient(voxel[0], voxel[1], voxel[2]);
      String expected =
          String.format(
              Locale.ROOT,
              "HU %.0f   (%.1f, %.1f, %.1f) mm   voxel [%d, %d, %d]",
              volume.valueAt(voxel[0], voxel[1], voxel[2]),
              p[0],
              p[1],
              p[2],
              voxel[0],
              voxel[1],
              voxel[2]);
      assertEquals(expected, onFx(() -> app.cursorReadout.getText()));
    }
    // Values differ across the image: the readout follows the volume, not a constant.
    assertNotEquals(volume.valueAt(128, 128, z), volume.valueAt(40, 200, z));
  }

  @Test
  void rulerMeasuresAKnownDistance(FxRobot robot) throws Exception {
    robot.clickOn(app.rulerTool);
    int z = onFx(() -> app.axial.slice());
    double spacingX = volume.geometry().spacingMm()[0];
    double spacingY = volume.geometry().spacingMm()[1];
    // 60 pixels across and 80 down from one voxel centre to another: √((60·sx)² + (80·sy)²).
    Point2D from = screenPointOf(app.axial, new int[] {80, 60, z});
    Point2D to = screenPointOf(app.axial, new int[] {140, 140, z});
    robot.drag(from, MouseButton.PRIMARY).moveTo(to).release(MouseButton.PRIMARY);
    double expected = Math.hypot(60 * spacingX, 80 * spacingY);
    double measured = onFx(() -> app.axial.rulerLengthMm().orElseThrow());
    // The robot moves in whole screen pixels, about 1 mm each at this zoom.
    double mmPerScreenPixel =
        onFx(
            () ->
                app.axial.slicePlane().pixelWidthMm()
                    / (app.axial.screenX(1) - app.axial.screenX(0)));
    assertEquals(expected, measured, 2 * mmPerScreenPixel, "ruler");
    // The tool did not move the crosshair.
    assertEquals(z, onFx(() -> app.axial.slice()));
  }

  @Test
  void ctrlWheelZoomsAndResetRestoresTheFit(FxRobot robot) throws Exception {
    double fitWidth = onFx(() -> app.axial.screenX(256) - app.axial.screenX(0));
    robot.moveTo(app.axial);
    robot.press(KeyCode.CONTROL);
    try {
      robot.scroll(3, javafx.geometry.VerticalDirection.UP);
    } finally {
      robot.release(KeyCode.CONTROL);
    }
    double zoom = onFx(() -> app.axial.zoom());
    assertNotEquals(1.0, zoom);
    assertEquals(fitWidth * zoom, onFx(() -> app.axial.screenX(256) - app.axial.screenX(0)), 1e-6);
    int slice = onFx(() -> app.axial.slice());
    assertEquals(50, slice, "ctrl+wheel zooms instead of scrolling");
    robot.type(KeyCode.R);
    assertEquals(1.0, onFx(() -> app.axial.zoom()));
    assertFalse(onFx(() -> app.axial.rulerLengthMm().isPresent()));
  }
}
