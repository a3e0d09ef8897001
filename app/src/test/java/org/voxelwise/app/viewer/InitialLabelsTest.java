package org.voxelwise.app.viewer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.voxelwise.app.viewer.ViewerTestSupport.onFx;
import static org.voxelwise.app.viewer.ViewerTestSupport.openAndWait;

import java.nio.file.Path;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxToolkit;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.voxelwise.app.viewer.results.LabelFiles;
import org.voxelwise.imaging.volume.LabelVolume;
import org.voxelwise.imaging.volume.Volume;

/**
 * {@code voxelwise view PATH --labels FILE}: the labels named at start appear once the series is
 * loaded (not on the middle-image preview, whose series change would clear them).
 */
@ExtendWith(ApplicationExtension.class)
class InitialLabelsTest {
  private static final Path CASE = ViewerTestSupport.sampleData().resolve("abdomen-ct");

  @TempDir Path temp;
  private ViewerApp app;

  @Start
  void start(Stage stage) {
    ViewerApp.setInitialLabels(CASE.resolve("seg.dcm"));
    app = new ViewerApp();
    app.recentFiles = new RecentFiles(temp.resolve("recent.txt"));
    app.start(stage);
  }

  @AfterEach
  void reset() throws Exception {
    ViewerApp.setInitialLabels(null);
    FxToolkit.cleanupStages();
  }

  @Test
  void theSegNamedAtStartIsShownOverTheLoadedSeries() throws Exception {
    openAndWait(app, CASE.resolve("ct"));
    Volume volume = onFx(() -> app.model.volume());
    LabelVolume truth = LabelFiles.readNifti(CASE.resolve("labels.nii.gz"), volume.geometry());
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (onFx(() -> app.results.editor()) == null) {
      assertTrue(System.nanoTime() < deadline, "labels not shown within 60 s");
      Thread.sleep(50);
    }
    assertNull(onFx(ViewerTestSupport::findDialog), "no error");
    assertArrayEquals(truth.values(), onFx(() -> app.results.editor().values().clone()));
  }
}
