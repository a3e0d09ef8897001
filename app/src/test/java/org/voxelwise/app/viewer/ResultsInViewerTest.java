package org.voxelwise.app.viewer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.voxelwise.app.viewer.ViewerTestSupport.expectedPixels;
import static org.voxelwise.app.viewer.ViewerTestSupport.onFx;
import static org.voxelwise.app.viewer.ViewerTestSupport.openAndWait;

import java.nio.file.Path;
import java.util.List;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.voxelwise.app.viewer.results.LabelFiles;
import org.voxelwise.imaging.render.SlicePlane;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.LabelVolume;
import org.voxelwise.imaging.volume.Volume;

/**
 * The results in the real viewer window on the sample abdominal CT: its labels (NIfTI) and its
 * DICOM SEG opened from the Results menu's actions appear in all three views, and a new series
 * clears them.
 */
@ExtendWith(ApplicationExtension.class)
class ResultsInViewerTest {
  private static final Path CASE = ViewerTestSupport.sampleData().resolve("abdomen-ct");

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
  void sampleLabelsAndSegAppearInAllThreeViews(FxRobot robot) throws Exception {
    openAndWait(app, CASE.resolve("ct"));
    Volume volume = onFx(() -> app.model.volume());
    LabelVolume truth = LabelFiles.readNifti(CASE.resolve("labels.nii.gz"), volume.geometry());
    int[] liver = liverVoxel(truth);
    robot.interact(
        () -> {
          app.setLayout(true);
          app.model.moveCrosshair(liver);
        });

    onFx(() -> app.results.openLabels(CASE.resolve("labels.nii.gz"))).get();
    assertNull(onFx(ViewerTestSupport::findDialog), "no error");
    for (SliceView view : app.views()) {
      assertLabelsDrawn(view, volume, truth);
    }

    robot.interact(() -> app.results.setLabels(null));
    onFx(() -> app.results.openSeg(CASE.resolve("seg.dcm"))).get();
    assertNull(onFx(ViewerTestSupport::findDialog), "no error");
    assertArrayEquals(truth.values(), onFx(() -> app.results.editor().values().clone()));
    for (SliceView view : app.views()) {
      assertLabelsDrawn(view, volume, truth);
    }

    List<String> menus = onFx(() -> app.menuBar().getMenus().stream().map(Menu::getText).toList());
    assertTrue(menus.contains("Results"), menus.toString());
    List<String> exports =
        onFx(
            () ->
                app.menuBar().getMenus().get(0).getItems().stream()
                    .filter(i -> i instanceof Menu m && m.getText().equals("Export"))
                    .flatMap(i -> ((Menu) i).getItems().stream())
                    .map(MenuItem::getText)
                    .toList());
    assertEquals(
        List.of(
            "Labels as NIfTI…",
            "Labels as DICOM SEG…",
            "Label volumes as CSV…",
            "Current view as PNG…"),
        exports);

    openAndWait(app, ViewerTestSupport.sampleData().resolve("ct"));
    assertNull(onFx(() -> app.results.editor()), "another series: the labels are gone");
  }

  /** Labelled pixels of the view's slice are coloured, the others exactly the grey image. */
  private static void assertLabelsDrawn(SliceView view, Volume volume, LabelVolume truth)
      throws Exception {
    int slice = onFx(view::slice);
    SlicePlane plane = onFx(view::slicePlane);
    int[] grey =
        expectedPixels(view, volume, slice, onFx(() -> view.model().windowLevelProperty().get()));
    int[] shown = onFx(view::renderedPixels);
    int labelled = 0;
    for (int v = 0; v < plane.height(); v++) {
      for (int u = 0; u < plane.width(); u++) {
        int i = u + plane.width() * v;
        int[] voxel = plane.voxelAt(u, v, slice);
        if (truth.valueAt(voxel[0], voxel[1], voxel[2]) == 0) {
          assertEquals(grey[i], shown[i], view.plane() + " unlabelled pixel " + u + "," + v);
        } else {
          labelled++;
          assertNotEquals(grey[i], shown[i], view.plane() + " labelled pixel " + u + "," + v);
        }
      }
    }
    assertTrue(labelled > 100, view.plane() + ": " + labelled + " labelled pixels");
  }

  private static int[] liverVoxel(LabelVolume labels) {
    Geometry g = labels.geometry();
    long bestCount = -1;
    int bestZ = 0;
    for (int z = 0; z < g.sizeZ(); z++) {
      long n = 0;
      for (int i = z * g.sizeX() * g.sizeY(); i < (z + 1) * g.sizeX() * g.sizeY(); i++) {
        n += labels.valueAt(i) == 1 ? 1 : 0;
      }
      if (n > bestCount) {
        bestCount = n;
        bestZ = z;
      }
    }
    long sx = 0;
    long sy = 0;
    long n = 0;
    for (int y = 0; y < g.sizeY(); y++) {
      for (int x = 0; x < g.sizeX(); x++) {
        if (labels.valueAt(x, y, bestZ) == 1) {
          sx += x;
          sy += y;
          n++;
        }
      }
    }
    return new int[] {(int) (sx / n), (int) (sy / n), bestZ};
  }
}
