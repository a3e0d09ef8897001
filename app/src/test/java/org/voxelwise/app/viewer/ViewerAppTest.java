package org.voxelwise.app.viewer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javafx.application.Platform;
import javafx.geometry.VerticalDirection;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.DialogPane;
import javafx.scene.image.Image;
import javafx.scene.image.PixelFormat;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.input.ScrollEvent;
import javafx.stage.Stage;
import javafx.stage.Window;
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
 * The viewer window driven headless (Monocle) by TestFX: opening a written CT series, scrolling by
 * keys, wheel and slider, staying responsive while loading, and reporting unreadable input.
 */
@ExtendWith(ApplicationExtension.class)
class ViewerAppTest {
  private static final int SIZE_X = 96;
  private static final int SIZE_Y = 80;
  private static final int SIZE_Z = 12;
  private static final long TIMEOUT_S = 30;

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
    app.start(stage);
  }

  @AfterEach
  void closeWindows() throws TimeoutException {
    FxToolkit.cleanupStages();
  }

  @Test
  void opensSeriesOnItsMiddleSlice() throws Exception {
    openAndWait(series);

    Image image = onFx(() -> app.imageView.getImage());
    assertNotNull(image);
    assertEquals(SIZE_X, (int) image.getWidth());
    assertEquals(SIZE_Y, (int) image.getHeight());
    assertShows(SIZE_Z / 2);
    assertEquals(SIZE_Z - 1, onFx(() -> app.sliceSlider.getMax()));
    assertTrue(onFx(() -> stage.getTitle()).contains(series.toString()));
  }

  @Test
  void arrowKeysScrollOneSlice(FxRobot robot) throws Exception {
    openAndWait(series);
    int middle = SIZE_Z / 2;

    robot.type(KeyCode.DOWN);
    assertShows(middle - 1);
    robot.type(KeyCode.UP);
    robot.type(KeyCode.UP);
    assertShows(middle + 1);
  }

  @Test
  void mouseWheelScrollsOneSlicePerNotch(FxRobot robot) throws Exception {
    openAndWait(series);
    int middle = SIZE_Z / 2;
    // Robots disagree on the sign of a wheel "up" (Monocle's is JavaFX's wheel down), so the
    // expected slice follows the delta the window actually received: rolling away from the user
    // (deltaY > 0) shows the next slice.
    List<Double> deltas = new CopyOnWriteArrayList<>();
    robot.interact(
        () -> stage.getScene().addEventFilter(ScrollEvent.SCROLL, e -> deltas.add(e.getDeltaY())));

    robot.moveTo(app.imageView);
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
    openAndWait(series);
    Node thumb = onFx(() -> app.sliceSlider.lookup(".thumb"));

    // Dragging the thumb past the top of the track selects the last slice, past the bottom the
    // first.
    robot.drag(thumb).moveBy(0, -stage.getHeight()).release(MouseButton.PRIMARY);
    assertShows(SIZE_Z - 1);
    robot.drag(thumb).moveBy(0, stage.getHeight()).release(MouseButton.PRIMARY);
    assertShows(0);

    robot.interact(() -> app.sliceSlider.setValue(3));
    assertShows(3);
  }

  @Test
  void windowStaysResponsiveWhileALargeSeriesLoads(FxRobot robot) throws Exception {
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
        (path, progress) ->
            ViewerApp.loadLargestSeries(
                path,
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
      robot.interact(() -> app.open(folder, stage));
      assertTrue(
          System.nanoTime() - before < TimeUnit.SECONDS.toNanos(2),
          "open() returns at once, the load runs in the background");
      assertTrue(halfway.await(TIMEOUT_S, TimeUnit.SECONDS), "the load reaches half way");

      // The load is under way on its worker: the FX thread still runs posted work at once.
      long posted = System.nanoTime();
      CountDownLatch ran = new CountDownLatch(1);
      Platform.runLater(ran::countDown);
      assertTrue(ran.await(2, TimeUnit.SECONDS), "FX thread runs posted work during the load");
      long latencyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - posted);
      assertTrue(latencyMs < 2000, "posted work ran after " + latencyMs + " ms");
      WaitForAsyncUtils.waitFor(
          TIMEOUT_S,
          TimeUnit.SECONDS,
          () -> {
            double p = onFx(() -> app.progressBar.getProgress());
            return p >= 0.5 && p < 1;
          });
      assertNull(onFx(() -> app.imageView.getImage()), "nothing is shown before the load ends");
      // Keys pressed while loading are taken without disturbing the load.
      robot.type(KeyCode.DOWN);
    } finally {
      resume.countDown();
    }
    waitForSlice();

    assertEquals(256, (int) onFx(() -> app.imageView.getImage()).getWidth());
    assertTrue(onFx(() -> app.status.getText()).startsWith("slice 61/120"));
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

    robot.interact(() -> app.open(corrupt, stage));
    WaitForAsyncUtils.waitFor(
        TIMEOUT_S, TimeUnit.SECONDS, () -> onFx(ViewerAppTest::findDialog) != null);
    DialogPane dialog = onFx(ViewerAppTest::findDialog);
    String text = onFx(dialog::getContentText);
    assertTrue(text.contains(corrupt.toString()), "names the folder: " + text);
    assertTrue(text.contains("truncated"), "says what is wrong: " + text);
    assertEquals(text, onFx(() -> app.status.getText()));

    robot.clickOn(onFx(() -> (Button) dialog.lookupButton(ButtonType.OK)));
    WaitForAsyncUtils.waitFor(
        TIMEOUT_S, TimeUnit.SECONDS, () -> onFx(ViewerAppTest::findDialog) == null);
    assertTrue(onFx(stage::isShowing));

    openAndWait(series);
    robot.type(KeyCode.DOWN);
    assertShows(SIZE_Z / 2 - 1);
  }

  /** Opens {@code path} in the window and waits until a slice is shown. */
  private void openAndWait(Path path) throws TimeoutException {
    WaitForAsyncUtils.asyncFx(() -> app.open(path, stage));
    waitForSlice();
  }

  private void waitForSlice() throws TimeoutException {
    WaitForAsyncUtils.waitFor(
        TIMEOUT_S,
        TimeUnit.SECONDS,
        () -> onFx(() -> app.imageView.getImage() != null && !app.status.textProperty().isBound()));
    WaitForAsyncUtils.waitForFxEvents();
  }

  /** Checks that slice {@code z} is shown: slider, status line and every rendered pixel. */
  private void assertShows(int z) throws Exception {
    WaitForAsyncUtils.waitForFxEvents();
    assertEquals(z, (int) onFx(app::currentSlice));
    String status = onFx(() -> app.status.getText());
    assertTrue(status.startsWith("slice " + (z + 1) + "/" + SIZE_Z + " "), status);
    int[] shown =
        onFx(
            () -> {
              int[] argb = new int[SIZE_X * SIZE_Y];
              app.imageView
                  .getImage()
                  .getPixelReader()
                  .getPixels(
                      0, 0, SIZE_X, SIZE_Y, PixelFormat.getIntArgbInstance(), argb, 0, SIZE_X);
              return argb;
            });
    int[] expected = new int[SIZE_X * SIZE_Y];
    WindowLevel.ABDOMEN.renderAxial(phantom, z, expected);
    assertArrayEquals(expected, shown, "pixels of slice " + z);
  }

  /** The content of the open dialog, or null when none is showing (call on the FX thread). */
  private static DialogPane findDialog() {
    for (Window w : Window.getWindows()) {
      if (w.isShowing() && w.getScene() != null && w.getScene().getRoot() instanceof DialogPane d) {
        return d;
      }
    }
    return null;
  }

  private static <T> T onFx(Callable<T> query) throws ExecutionException, InterruptedException {
    if (Platform.isFxApplicationThread()) {
      try {
        return query.call();
      } catch (Exception e) {
        throw new ExecutionException(e);
      }
    }
    return WaitForAsyncUtils.asyncFx(query).get();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(TIMEOUT_S, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
