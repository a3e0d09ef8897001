package org.voxelwise.app.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.voxelwise.app.viewer.ViewerTestSupport.onFx;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javafx.animation.AnimationTimer;
import javafx.event.Event;
import javafx.scene.Node;
import javafx.scene.input.ScrollEvent;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.voxelwise.imaging.dicom.LoadedSeries;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.LabelVolume;
import org.voxelwise.imaging.volume.LiverTumorLabels;
import org.voxelwise.imaging.volume.Volume;
import org.voxelwise.imaging.volume.Volume4D;

/**
 * Scrolls a 512×512×300 CT (built in memory) in the real window, one mouse-wheel notch per frame,
 * and prints the frame rate to the test output, then again with a liver/tumor label overlay. Speed
 * is reported, not asserted (a shared 2-core machine running Monocle's software renderer); the test
 * checks only that every notch showed a new slice.
 */
@ExtendWith(ApplicationExtension.class)
class ScrollFpsTest {
  private static final int SIZE = 512;
  private static final int SLICES = 300;
  private static final int NOTCHES = 200;

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
  void scrollingA512By512By300StudyReportsFramesPerSecond(FxRobot robot) throws Exception {
    Volume volume = largeCt();
    robot.interact(
        () ->
            app.model.setSeries(
                new LoadedSeries(
                    "", "512×512×300", new Volume4D(List.of(volume), List.of("")), List.of())));
    scroll(robot, "");
    LabelVolume labels = largeLabels(volume.geometry());
    robot.interact(() -> app.results.setLabels(labels));
    scroll(robot, " with the liver/tumor overlay");
  }

  /** Scrolls 200 slices from slice 0, one notch per frame, and prints the frame rate. */
  private void scroll(FxRobot robot, String what) throws Exception {
    robot.interact(() -> app.axial.setSlice(0));
    long rendersBefore = onFx(() -> app.axial.renderCount());
    // One wheel notch per frame, dispatched to the view's canvas by the FX thread's pulse: the
    // slice handler, the render and the drawing all happen inside the measured frames.
    Node canvas = onFx(() -> app.axial.canvas());
    CountDownLatch done = new CountDownLatch(1);
    long[] startEnd = new long[2];
    AnimationTimer scroller =
        new AnimationTimer() {
          private int sent;

          @Override
          public void handle(long now) {
            if (sent == 0) {
              startEnd[0] = now;
            }
            if (sent == NOTCHES) {
              startEnd[1] = now;
              stop();
              done.countDown();
              return;
            }
            Event.fireEvent(canvas, notch(canvas));
            sent++;
          }
        };
    robot.interact(scroller::start);
    assertTrue(done.await(120, TimeUnit.SECONDS), "scrolling finished");
    double seconds = (startEnd[1] - startEnd[0]) / 1e9;
    long renders = onFx(() -> app.axial.renderCount()) - rendersBefore;
    System.out.printf(
        Locale.ROOT,
        "ScrollFpsTest: 512×512×300 axial%s, %d slices scrolled in %.2f s = %.1f frames per"
            + " second (%d renders)%n",
        what,
        NOTCHES,
        seconds,
        NOTCHES / seconds,
        renders);
    double refreshMs =
        onFx(
            () -> {
              long t0 = System.nanoTime();
              for (int i = 0; i < 50; i++) {
                app.axial.refresh();
              }
              return (System.nanoTime() - t0) / 50e6;
            });
    System.out.printf(
        Locale.ROOT,
        "ScrollFpsTest: one refresh of the 512×512 view%s on the FX thread (render, upload,"
            + " canvas commands) %.2f ms, mean of 50%n",
        what,
        refreshMs);
    assertEquals(NOTCHES, onFx(() -> app.axial.slice()), "every notch moved one slice");
    assertEquals(NOTCHES, renders, "every slice was rendered once");
  }

  /** One wheel notch away from the user (the next slice) at the canvas' centre. */
  private static ScrollEvent notch(Node canvas) {
    double x = canvas.getLayoutBounds().getWidth() / 2;
    double y = canvas.getLayoutBounds().getHeight() / 2;
    javafx.geometry.Point2D screen = canvas.localToScreen(x, y);
    return new ScrollEvent(
        ScrollEvent.SCROLL,
        x,
        y,
        screen.getX(),
        screen.getY(),
        false,
        false,
        false,
        false,
        false,
        false,
        0,
        40,
        0,
        40,
        ScrollEvent.HorizontalTextScrollUnits.NONE,
        0,
        ScrollEvent.VerticalTextScrollUnits.NONE,
        0,
        0,
        null);
  }

  /** A liver-sized ellipsoid (label 1) holding a tumor (label 2) in every slice of the grid. */
  private static LabelVolume largeLabels(Geometry g) {
    byte[] labels = new byte[(int) g.voxelCount()];
    for (int z = 0, i = 0; z < SLICES; z++) {
      for (int y = 0; y < SIZE; y++) {
        for (int x = 0; x < SIZE; x++, i++) {
          double lx = (x - 300) / 120.0;
          double ly = (y - 250) / 90.0;
          double tx = (x - 320) / 25.0;
          double ty = (y - 240) / 25.0;
          labels[i] =
              (byte)
                  (tx * tx + ty * ty <= 1
                      ? LiverTumorLabels.TUMOR
                      : lx * lx + ly * ly <= 1 ? LiverTumorLabels.LIVER : 0);
        }
      }
    }
    return new LabelVolume(g, labels, LiverTumorLabels.TABLE);
  }

  /** A CT-like 512×512×300 volume: a water ellipse with noise in air, 0.7×0.7×1 mm. */
  private static Volume largeCt() {
    Geometry g =
        Geometry.axisAligned(SIZE, SIZE, SLICES, new double[] {0.7, 0.7, 1.0}, new double[3]);
    short[] v = new short[(int) g.voxelCount()];
    Random random = new Random(5);
    short[] noise = new short[4096];
    for (int i = 0; i < noise.length; i++) {
      noise[i] = (short) (random.nextGaussian() * 15);
    }
    for (int z = 0, i = 0; z < SLICES; z++) {
      for (int y = 0; y < SIZE; y++) {
        double dy = (y - 256) / 200.0;
        for (int x = 0; x < SIZE; x++, i++) {
          double dx = (x - 256) / (240.0 - z * 0.2);
          boolean inside = dx * dx + dy * dy < 1;
          v[i] = (short) ((inside ? 40 : -1000) + noise[(i * 7 + z) & 4095]);
        }
      }
    }
    return Volume.ofShorts(g, "CT", v);
  }
}
