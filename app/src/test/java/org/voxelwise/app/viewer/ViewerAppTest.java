package org.voxelwise.app.viewer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.voxelwise.app.viewer.ViewerTestSupport.TIMEOUT_S;
import static org.voxelwise.app.viewer.ViewerTestSupport.expectedPixels;
import static org.voxelwise.app.viewer.ViewerTestSupport.findDialog;
import static org.voxelwise.app.viewer.ViewerTestSupport.onFx;
import static org.voxelwise.app.viewer.ViewerTestSupport.openAndWait;
import static org.voxelwise.app.viewer.ViewerTestSupport.waitUntilLoaded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.geometry.VerticalDirection;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.DialogPane;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.input.ScrollEvent;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;
import org.voxelwise.imaging.dicom.CtSeriesWriter;
import org.voxelwise.imaging.progress.ProgressListener;
import org.voxelwise.imaging.render.WindowLevel;
import org.voxelwise.imaging.simulate.CalibrationPhantom;
import org.voxelwise.imaging.volume.Volume;

/**
 * The viewer window driven headless (Monocle) by TestFX: opening a written CT series (browser,
 * recent list), scrolling by keys, wheel and slider, showing the middle image while a large series
 * still loads, and reporting unreadable input.
 */
@ExtendWith(ApplicationExtension.class)
class ViewerAppTest {
  private static final int SIZE_X = 96;
  private static final int SIZE_Y = 80;
  private static final int SIZE_Z = 24;

  @TempDir static Path temp;
  private static Volume phantom;
  private static Path series;

  private ViewerApp app;
  private Stage stage;

  @BeforeAll
  static void writeSeries() throws IOException {
    // Noise makes every slice render differently, so a wrong slice cannot pass for the right one.
    phantom =
        CalibrationPhantom.create(
            SIZE_X, SIZE_Y, SIZE_Z, CalibrationPhantom.defaultSpacingMm(), 7, 30);
    series = temp.resolve("phantom");
    CtSeriesWriter.write(
        phantom, series, CtSeriesWriter.Options.builder().build(), ProgressListener.NONE);
  }

  @Start
  void start(Stage stage) {
    this.stage = stage;
    app = new ViewerApp();
    app.recentFiles =
        new RecentFiles(temp.resolve("config-" + System.nanoTime()).resolve("recent.txt"));
    app.start(stage);
  }

  @AfterEach
  void closeWindows() throws Exception {
    FxToolkit.cleanupStages();
  }

  @Test
  void opensSeriesOnItsMiddleSliceListsItAndRemembersIt() throws Exception {
    openAndWait(app, series);

    assertShows(SIZE_Z / 2);
    assertEquals(SIZE_X, onFx(() -> app.axial.slicePlane().width()));
    assertEquals(SIZE_Y, onFx(() -> app.axial.slicePlane().height()));
    assertTrue(onFx(() -> stage.getTitle()).contains(series.toString()));
    assertEquals(1, onFx(() -> app.browser.list.getItems().size()));
    String summary = onFx(() -> app.browser.list.getItems().get(0).summary());
    assertTrue(summary.contains("CT, " + SIZE_Z + " images"), summary);
    WaitForAsyncUtils.waitFor(
        TIMEOUT_S,
        TimeUnit.SECONDS,
        () -> onFx(() -> app.browser.thumbnail(app.browser.list.getItems().get(0)) != null));
    assertEquals(List.of(series.toAbsolutePath()), app.recentFiles.list());
    assertEquals(series.toString(), onFx(() -> app.recentMenu.getItems().get(0).getText()));
  }

  @Test
  void arrowAndPageKeysScroll(FxRobot robot) throws Exception {
    openAndWait(app, series);
    int middle = SIZE_Z / 2;

    robot.type(KeyCode.DOWN);
    assertShows(middle - 1);
    robot.type(KeyCode.UP);
    robot.type(KeyCode.UP);
    assertShows(middle + 1);
    robot.type(KeyCode.PAGE_DOWN);
    assertShows(middle - 9);
    robot.type(KeyCode.PAGE_UP);
    robot.type(KeyCode.PAGE_UP);
    assertShows(SIZE_Z - 1); // clamped at the last slice
  }

  @Test
  void mouseWheelScrollsOneSlicePerNotch(FxRobot robot) throws Exception {
    openAndWait(app, series);
    int middle = SIZE_Z / 2;
    // Robots disagree on the sign of a wheel "up" (Monocle's is JavaFX's wheel down), so the
    // expected slice follows the delta the window actually received: rolling away from the user
    // (deltaY > 0) shows the next slice.
    List<Double> deltas = new CopyOnWriteArrayList<>();
    robot.interact(
        () -> stage.getScene().addEventFilter(ScrollEvent.SCROLL, e -> deltas.add(e.getDeltaY())));

    robot.moveTo(app.axial);
    robot.scroll(VerticalDirection.UP);
    WaitForAsyncUtils.waitForFxEvents();
    int step = (int) Math.signum(deltas.get(0));
    assertEquals(1, Math.abs(step), "one notch received: " + deltas);
    assertShows(middle + step);
    robot.scroll(2, VerticalDirection.DOWN);
    WaitForAsyncUtils.waitForFxEvents();
    assertEquals(3, deltas.size(), "three notches received: " + deltas);
    assertShows(middle - step);
  }

  @Test
  void sliderSelectsTheSlice(FxRobot robot) throws Exception {
    openAndWait(app, series);
    Node thumb = onFx(() -> app.axial.lookup(".thumb"));

    // Dragging the thumb past the top of the track selects the last slice, past the bottom the
    // first.
    robot.drag(thumb).moveBy(0, -stage.getHeight()).release(MouseButton.PRIMARY);
    assertShows(SIZE_Z - 1);
    robot.drag(thumb).moveBy(0, stage.getHeight()).release(MouseButton.PRIMARY);
    assertShows(0);
  }

  @Test
  void showsTheMiddleImageWhileTheSeriesStillLoads(FxRobot robot) throws Exception {
    Volume large =
        CalibrationPhantom.create(256, 256, 120, CalibrationPhantom.defaultSpacingMm(), 3, 10);
    Path folder = temp.resolve("large");
    CtSeriesWriter.write(
        large, folder, CtSeriesWriter.Options.builder().build(), ProgressListener.NONE);
    // The real loader, whose threads pause once past half way until the test has looked at the
    // window.
    CountDownLatch halfway = new CountDownLatch(1);
    CountDownLatch resume = new CountDownLatch(1);
    app.loader =
        (entry, progress) ->
            StudyCatalog.load(
                entry,
                new ProgressListener() {
                  @Override
                  public void update(double fraction, String message) {
                    progress.update(fraction, message);
                    if (fraction >= 0.5) {
                      halfway.countDown();
                      await(resume);
                    }
                  }

                  @Override
                  public boolean isCancelled() {
                    return progress.isCancelled();
                  }
                });
    List<Double> progressSeen = new CopyOnWriteArrayList<>();
    robot.interact(
        () ->
            app.progressBar
                .progressProperty()
                .addListener((o, a, b) -> progressSeen.add((double) b)));

    try {
      long before = System.nanoTime();
      robot.interact(() -> app.open(folder));
      assertTrue(
          System.nanoTime() - before < TimeUnit.SECONDS.toNanos(2),
          "open() returns at once, the load runs in the background");
      assertTrue(halfway.await(TIMEOUT_S, TimeUnit.SECONDS), "the load reaches half way");

      // The load is under way on its worker: the FX thread still runs posted work at once.
      CountDownLatch ran = new CountDownLatch(1);
      Platform.runLater(ran::countDown);
      assertTrue(ran.await(2, TimeUnit.SECONDS), "FX thread runs posted work during the load");
      WaitForAsyncUtils.waitFor(
          TIMEOUT_S,
          TimeUnit.SECONDS,
          () -> onFx(() -> app.model.series() != null && app.progressBar.getProgress() >= 0.5));
      // Shown already: the middle image (slice 60 of 120), alone.
      assertEquals(1, onFx(() -> app.axial.sliceCount()));
      int[] middle = new int[256 * 256];
      WindowLevel.ABDOMEN.renderAxial(large, 60, middle);
      assertArrayEquals(middle, onFx(() -> app.axial.renderedPixels()), "middle image");
      assertTrue(onFx(() -> app.progressBar.getProgress() < 1), "still loading");
      // Keys pressed while loading are taken without disturbing the load.
      robot.type(KeyCode.DOWN);
    } finally {
      resume.countDown();
    }
    waitUntilLoaded(app);

    assertEquals(120, onFx(() -> app.axial.sliceCount()));
    assertEquals(60, onFx(() -> app.axial.slice()));
    assertTrue(
        progressSeen.stream().anyMatch(p -> p > 0 && p < 1),
        "progress between 0 and 1 was shown: " + progressSeen);
    assertEquals(1.0, onFx(() -> app.progressBar.getProgress()));
  }

  @Test
  void corruptFolderShowsAnErrorAndTheWindowStaysUsable(FxRobot robot) throws Exception {
    Path corrupt = temp.resolve("corrupt study");
    Files.createDirectories(corrupt);
    Random random = new Random(11);
    for (int i = 0; i < 3; i++) {
      byte[] bytes = new byte[4096];
      random.nextBytes(bytes);
      Files.write(corrupt.resolve("random" + i + ".dcm"), bytes);
    }
    byte[] dicom = Files.readAllBytes(series.resolve("IM00001.dcm"));
    Files.write(corrupt.resolve("slice.dcm"), Arrays.copyOf(dicom, dicom.length / 2));

    robot.interact(() -> app.open(corrupt));
    WaitForAsyncUtils.waitFor(TIMEOUT_S, TimeUnit.SECONDS, () -> onFx(() -> findDialog() != null));
    DialogPane dialog = onFx(ViewerTestSupport::findDialog);
    String text = onFx(dialog::getContentText);
    assertTrue(text.contains(corrupt.toString()), "names the folder: " + text);
    assertTrue(text.contains("truncated"), "says what is wrong: " + text);
    assertEquals(text, onFx(() -> app.status.getText()));

    robot.clickOn(onFx(() -> (Button) dialog.lookupButton(ButtonType.OK)));
    WaitForAsyncUtils.waitFor(TIMEOUT_S, TimeUnit.SECONDS, () -> onFx(() -> findDialog() == null));
    assertTrue(onFx(stage::isShowing));

    openAndWait(app, series);
    robot.type(KeyCode.DOWN);
    assertShows(SIZE_Z / 2 - 1);
  }

  /** Checks that axial slice {@code z} is shown: slider, caption and every rendered pixel. */
  private void assertShows(int z) throws Exception {
    WaitForAsyncUtils.waitForFxEvents();
    assertEquals(z, (int) onFx(() -> app.axial.slice()));
    String caption = onFx(() -> app.axial.sliceCaption());
    assertTrue(caption.startsWith("Axial  " + (z + 1) + "/" + SIZE_Z + " "), caption);
    assertArrayEquals(
        expectedPixels(app.axial, phantom, z, WindowLevel.ABDOMEN),
        onFx(() -> app.axial.renderedPixels()),
        "pixels of slice " + z);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(TIMEOUT_S, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
