package org.voxelwise.app.viewer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.voxelwise.app.viewer.ViewerTestSupport.expectedPixels;
import static org.voxelwise.app.viewer.ViewerTestSupport.onFx;
import static org.voxelwise.app.viewer.ViewerTestSupport.openAndWait;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;
import org.voxelwise.imaging.render.WindowLevel;
import org.voxelwise.imaging.volume.Volume;
import org.voxelwise.imaging.volume.Volume4D;

/**
 * The sample 4D CBCT study (10 phase series of 128×128×25 plus a prior, simulated): opened as one
 * 4D entry, the phase slider selects the phase every view shows, and cine playback loops through
 * the phases at the chosen speed.
 */
@ExtendWith(ApplicationExtension.class)
class PhaseTest {
  @TempDir Path temp;
  private ViewerApp app;

  @Start
  void start(Stage stage) {
    app = new ViewerApp();
    app.recentFiles = new RecentFiles(temp.resolve("recent.txt"));
    app.start(stage);
  }

  @AfterEach
  void closeWindows() throws Exception {
    FxToolkit.cleanupStages();
  }

  @Test
  void phaseSliderAndCinePlayback(FxRobot robot) throws Exception {
    openAndWait(app, ViewerTestSupport.sampleData().resolve("cbct4d"));
    Volume4D phases = onFx(() -> app.model.phases());
    assertEquals(10, phases.phaseCount());
    // The browser lists the 4D group and the prior.
    assertEquals(2, onFx(() -> app.browser.list.getItems().size()));
    assertTrue(onFx(() -> app.phaseBar.isVisible()));
    assertEquals(9.0, onFx(() -> app.phaseBar.slider.getMax()));

    robot.interact(() -> app.phaseBar.slider.setValue(3));
    assertEquals(3, onFx(() -> app.model.phaseProperty().get()));
    int z = onFx(() -> app.axial.slice());
    Volume phase3 = phases.phases().get(3);
    assertArrayEquals(
        expectedPixels(app.axial, phase3, z, WindowLevel.ABDOMEN),
        onFx(() -> app.axial.renderedPixels()));
    int y = onFx(() -> app.coronal.slice());
    assertArrayEquals(
        expectedPixels(app.coronal, phase3, y, WindowLevel.ABDOMEN),
        onFx(() -> app.coronal.renderedPixels()));
    assertTrue(onFx(() -> app.axial.sliceCaption()).endsWith("phase 4/10"));
    // Phases differ (breathing motion), so the slider visibly changes the image.
    robot.interact(() -> app.phaseBar.slider.setValue(8));
    assertFalse(
        java.util.Arrays.equals(
            expectedPixels(app.axial, phase3, z, WindowLevel.ABDOMEN),
            onFx(() -> app.axial.renderedPixels())));

    // Cine at 20 frames/s visits every phase and wraps around.
    Set<Integer> seen = new HashSet<>();
    robot.interact(
        () -> {
          app.model.phaseProperty().addListener((o, a, b) -> seen.add(b.intValue()));
          app.phaseBar.framesPerSecond.getValueFactory().setValue(20);
        });
    robot.clickOn(app.phaseBar.play);
    assertTrue(onFx(() -> app.phaseBar.isPlaying()));
    WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> seen.size() == 10);
    robot.clickOn(app.phaseBar.play);
    assertFalse(onFx(() -> app.phaseBar.isPlaying()));
    int stopped = onFx(() -> app.model.phaseProperty().get());
    Thread.sleep(300);
    assertEquals(stopped, onFx(() -> app.model.phaseProperty().get()), "paused");
  }
}
