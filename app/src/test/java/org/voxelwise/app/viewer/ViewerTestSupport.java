package org.voxelwise.app.viewer;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javafx.application.Platform;
import javafx.geometry.Point2D;
import javafx.scene.control.DialogPane;
import javafx.stage.Window;
import org.testfx.util.WaitForAsyncUtils;
import org.voxelwise.imaging.render.SliceRenderer;
import org.voxelwise.imaging.render.WindowLevel;
import org.voxelwise.imaging.volume.Volume;

/** Shared helpers of the viewer's TestFX tests (those of its results package too). */
public final class ViewerTestSupport {
  static final long TIMEOUT_S = 60;

  private ViewerTestSupport() {}

  /** The repository's sample-data folder (tests run in the module folder). */
  static Path sampleData() {
    Path here = Path.of("").toAbsolutePath();
    Path candidate = here.resolveSibling("sample-data");
    return candidate.toFile().isDirectory() ? candidate : here.resolve("sample-data");
  }

  /** Opens {@code path} and waits until it is completely loaded and shown. */
  static void openAndWait(ViewerApp app, Path path) throws Exception {
    WaitForAsyncUtils.asyncFx(() -> app.open(path)).get();
    waitUntilLoaded(app);
  }

  static void waitUntilLoaded(ViewerApp app) throws TimeoutException {
    WaitForAsyncUtils.waitFor(
        TIMEOUT_S,
        TimeUnit.SECONDS,
        () ->
            onFx(
                () ->
                    app.model.series() != null
                        && !app.status.textProperty().isBound()
                        && app.axial.sliceCount() > 1));
    WaitForAsyncUtils.waitForFxEvents();
  }

  /** What slice {@code slice} of {@code volume} must look like in a view, rendered off screen. */
  static int[] expectedPixels(SliceView view, Volume volume, int slice, WindowLevel window)
      throws Exception {
    return onFx(
        () -> {
          int[] argb = new int[view.slicePlane().width() * view.slicePlane().height()];
          new SliceRenderer().render(volume, view.slicePlane(), slice, 0, window, null, argb);
          return argb;
        });
  }

  /** The screen point at the centre of a voxel's pixel in a view. */
  public static Point2D screenPointOf(SliceView view, int[] voxel) throws Exception {
    return onFx(
        () -> {
          double[] c = view.canvasPointOf(voxel);
          return view.canvas().localToScreen(c[0], c[1]);
        });
  }

  /** The content of the open dialog, or null when none is showing (call on the FX thread). */
  public static DialogPane findDialog() {
    for (Window w : Window.getWindows()) {
      if (w.isShowing() && w.getScene() != null && w.getScene().getRoot() instanceof DialogPane d) {
        return d;
      }
    }
    return null;
  }

  public static <T> T onFx(Callable<T> query) throws ExecutionException, InterruptedException {
    if (Platform.isFxApplicationThread()) {
      try {
        return query.call();
      } catch (Exception e) {
        throw new ExecutionException(e);
      }
    }
    return WaitForAsyncUtils.asyncFx(query).get();
  }
}
