package org.voxelwise.app.viewer.results;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.voxelwise.app.viewer.ViewerTestSupport.onFx;
import static org.voxelwise.app.viewer.ViewerTestSupport.screenPointOf;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
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
import org.voxelwise.app.viewer.SliceView;
import org.voxelwise.app.viewer.ViewerModel;
import org.voxelwise.app.viewer.ViewerTestSupport;
import org.voxelwise.imaging.dicom.CtSeriesWriter;
import org.voxelwise.imaging.dicom.DicomIndex;
import org.voxelwise.imaging.dicom.DicomScanner;
import org.voxelwise.imaging.dicom.LoadedSeries;
import org.voxelwise.imaging.dicom.SeriesLoader;
import org.voxelwise.imaging.nifti.NiftiReader;
import org.voxelwise.imaging.nifti.NiftiWriter;
import org.voxelwise.imaging.progress.ProgressListener;
import org.voxelwise.imaging.render.Plane;
import org.voxelwise.imaging.render.SlicePlane;
import org.voxelwise.imaging.render.SliceRenderer;
import org.voxelwise.imaging.render.WindowLevel;
import org.voxelwise.imaging.simulate.AbdominalPhantom;
import org.voxelwise.imaging.simulate.CalibrationPhantom;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.LabelVolume;
import org.voxelwise.imaging.volume.LiverTumorLabels;
import org.voxelwise.imaging.volume.Volume;
import org.voxelwise.imaging.volume.Volume4D;
import org.voxelwise.segmentation.engine.DjlEnvironment;
import org.voxelwise.segmentation.rstar.Rstar4dConfig;
import org.voxelwise.segmentation.rstar.Rstar4dModelCard;
import org.voxelwise.segmentation.rstar.Rstar4dModelFiles;
import org.voxelwise.segmentation.rstar.Rstar4dNet;

/**
 * The results part of the viewer driven headless (Monocle) by TestFX: an axial and a coronal view
 * with the results' overlay layer, legend and tools, menus and model bar, on a small simulated
 * abdominal CT (64×64×16) with its liver/tumor labels.
 */
@ExtendWith(ApplicationExtension.class)
class ResultsControllerTest {
  private static final long TIMEOUT_S = 120;
  private static final int LIVER = LiverTumorLabels.LIVER;
  private static final int TUMOR = LiverTumorLabels.TUMOR;

  @TempDir static Path temp;
  private static AbdominalPhantom.Study study;

  private Stage stage;
  private ViewerModel model;
  private SliceView axial;
  private SliceView coronal;
  private ResultsController results;
  private DicomIndex.Series dicomSeries;

  @BeforeAll
  static void makeStudy() {
    study =
        AbdominalPhantom.generate(
            AbdominalPhantom.Parameters.defaults()
                .withSize(64, 64, 16)
                .withSpacing(new double[] {6, 6, 4}),
            3);
  }

  @Start
  void start(Stage stage) {
    this.stage = stage;
    model = new ViewerModel();
    axial = new SliceView(model, Plane.AXIAL);
    coronal = new SliceView(model, Plane.CORONAL);
    results =
        new ResultsController(
            model, () -> List.of(axial, coronal), () -> axial, () -> stage, () -> dicomSeries);
    axial.setOverlay(results.layer());
    coronal.setOverlay(results.layer());
    HBox views = new HBox(axial, coronal);
    HBox.setHgrow(axial, Priority.ALWAYS);
    HBox.setHgrow(coronal, Priority.ALWAYS);
    axial.setPrefSize(400, 400);
    coronal.setPrefSize(300, 400);
    Menu file = new Menu("File", null, results.exportMenu());
    BorderPane root = new BorderPane(views);
    root.setTop(new MenuBar(file, results.menu()));
    root.setRight(results.panel());
    root.setBottom(results.runner());
    stage.setScene(new Scene(root, 1100, 600));
    stage.show();
    model.setSeries(
        new LoadedSeries(
            "1.2.3", "phantom", new Volume4D(List.of(study.ct()), List.of("")), List.of()));
  }

  @AfterEach
  void closeWindows() throws TimeoutException {
    FxToolkit.cleanupStages();
  }

  /** A voxel of the middle axial slice holding {@code value} with all 4 in-plane neighbours. */
  private static int[] interiorVoxel(LabelVolume labels, int value) {
    Geometry g = labels.geometry();
    for (int z = g.sizeZ() / 2; z < g.sizeZ(); z++) {
      for (int y = 1; y < g.sizeY() - 1; y++) {
        for (int x = 1; x < g.sizeX() - 1; x++) {
          if (labels.valueAt(x, y, z) == value
              && labels.valueAt(x - 1, y, z) == value
              && labels.valueAt(x + 1, y, z) == value
              && labels.valueAt(x, y - 1, z) == value
              && labels.valueAt(x, y + 1, z) == value) {
            return new int[] {x, y, z};
          }
        }
      }
    }
    throw new AssertionError("no interior voxel of label " + value);
  }

  /** The rendered ARGB pixel of the axial view at the pixel showing {@code voxel}. */
  private int shownAt(int[] voxel) throws Exception {
    return onFx(
        () -> {
          double[] p = axial.slicePlane().pixelOf(new double[] {voxel[0], voxel[1], voxel[2]});
          return axial.renderedPixels()[(int) p[0] + axial.slicePlane().width() * (int) p[1]];
        });
  }

  private void showLabels(FxRobot robot, int[] crosshair) throws Exception {
    robot.interact(
        () -> {
          model.moveCrosshair(crosshair);
          results.setLabels(study.labels());
        });
    WaitForAsyncUtils.waitForFxEvents();
  }

  @Test
  void overlayToggleOpacityAndOutlineChangeTheRenderedPixels(FxRobot robot) throws Exception {
    int[] liver = interiorVoxel(study.labels(), LIVER);
    robot.interact(() -> model.moveCrosshair(liver));
    int grey = shownAt(liver);
    showLabels(robot, liver);
    int half = shownAt(liver);
    assertNotEquals(grey, half, "the liver is drawn over the grey pixel");

    robot.clickOn(onFx(() -> results.legend().visible.get(LIVER)));
    assertEquals(grey, shownAt(liver), "hidden: the grey pixel again");
    robot.clickOn(onFx(() -> results.legend().visible.get(LIVER)));
    assertEquals(half, shownAt(liver));

    robot.interact(() -> results.legend().opacity.get(LIVER).setValue(1));
    int rgb = LiverTumorLabels.TABLE.get(0).rgb();
    assertEquals(0xff000000 | rgb, shownAt(liver), "opaque: the liver's colour");
    robot.interact(() -> results.legend().opacity.get(LIVER).setValue(0));
    assertEquals(grey, shownAt(liver), "transparent: the grey pixel");
    robot.interact(() -> results.legend().opacity.get(LIVER).setValue(1));

    robot.clickOn(onFx(() -> results.legend().outline.get(LIVER)));
    assertEquals(grey, shownAt(liver), "outline: the inside is not drawn");
    int[] edge = liver.clone();
    while (study.labels().valueAt(edge[0] - 1, edge[1], edge[2]) == LIVER) {
      edge[0]--;
    }
    assertEquals(0xff000000 | rgb, shownAt(edge), "outline: the edge is");

    String ml = onFx(() -> results.legend().volume.get(LIVER).getText());
    assertEquals(
        String.format(java.util.Locale.ROOT, "%.1f mL", study.labels().volumeMl(LIVER)), ml);
  }

  @Test
  void brushStrokeAndUndoRedoChangeThenRestoreTheLabels(FxRobot robot) throws Exception {
    int[] liver = interiorVoxel(study.labels(), LIVER);
    showLabels(robot, liver);
    byte[] before = study.labels().values().clone();
    long tumorBefore = study.labels().count(TUMOR);
    int liverShown = shownAt(liver);

    robot.clickOn(onFx(() -> results.brush));
    robot.interact(
        () -> {
          results.currentLabel.setValue(LiverTumorLabels.TABLE.get(1));
          results.radiusMm.setValue(7);
        });
    int[] from = {liver[0] - 3, liver[1], liver[2]};
    int[] to = {liver[0] + 3, liver[1], liver[2]};
    robot.moveTo(screenPointOf(axial, from));
    robot.press(MouseButton.PRIMARY);
    robot.moveTo(screenPointOf(axial, liver));
    robot.moveTo(screenPointOf(axial, to));
    robot.release(MouseButton.PRIMARY);
    WaitForAsyncUtils.waitForFxEvents();

    byte[] painted = onFx(() -> results.editor().values().clone());
    for (int x = from[0]; x <= to[0]; x++) {
      assertEquals(
          TUMOR, painted[index(x, liver[1], liver[2])], "painted along the drag at x=" + x);
    }
    long tumorAfter = onFx(() -> results.editor().count(TUMOR));
    assertTrue(tumorAfter > tumorBefore + 7, tumorBefore + " → " + tumorAfter);
    for (int i = 0; i < painted.length; i++) {
      if (painted[i] != before[i]) {
        assertEquals(liver[2], i / (64 * 64), "only the slice drawn on changes");
      }
    }
    assertEquals(
        String.format(java.util.Locale.ROOT, "%.1f mL", tumorAfter * 6 * 6 * 4 / 1000.0),
        onFx(() -> results.legend().volume.get(TUMOR).getText()));
    assertNotEquals(liverShown, shownAt(liver), "the view shows the tumor colour there now");

    robot.press(KeyCode.CONTROL, KeyCode.Z).release(KeyCode.Z, KeyCode.CONTROL);
    WaitForAsyncUtils.waitForFxEvents();
    assertArrayEquals(before, onFx(() -> results.editor().values().clone()), "undo restores all");
    assertTrue(onFx(results.undo::isDisabled));
    assertFalse(onFx(results.redo::isDisabled));

    robot.press(KeyCode.CONTROL, KeyCode.Y).release(KeyCode.Y, KeyCode.CONTROL);
    WaitForAsyncUtils.waitForFxEvents();
    assertArrayEquals(painted, onFx(() -> results.editor().values().clone()), "redo");
    robot.clickOn(onFx(() -> results.undo));
    assertArrayEquals(before, onFx(() -> results.editor().values().clone()), "Undo button");
  }

  private static int index(int x, int y, int z) {
    return x + 64 * (y + 64 * z);
  }

  @Test
  void exportsWriteLabelsCsvAndPngThatReadBack(FxRobot robot) throws Exception {
    int[] liver = interiorVoxel(study.labels(), LIVER);
    showLabels(robot, liver);
    Path nifti = temp.resolve("labels.nii.gz");
    Path csv = temp.resolve("volumes.csv");
    Path png = temp.resolve("view.png");

    onFx(() -> results.export(ResultsController.Export.LABELS_NIFTI, nifti)).get();
    onFx(() -> results.export(ResultsController.Export.VOLUMES_CSV, csv)).get();
    onFx(() -> results.export(ResultsController.Export.VIEW_PNG, png)).get();
    assertNull(onFx(ViewerTestSupport::findDialog), "no error");

    Volume back = NiftiReader.read(nifti);
    assertTrue(back.geometry().sameGrid(study.ct().geometry(), 1e-3));
    for (int i = 0; i < study.labels().values().length; i++) {
      assertEquals(study.labels().valueAt(i), (int) back.valueAt(i), "voxel " + i);
    }
    String nib =
        python(
            "import nibabel, numpy; im = nibabel.load('"
                + nifti
                + "'); d = numpy.asanyarray(im.dataobj);"
                + " print(d.dtype, d.shape, int((d == 1).sum()), int((d == 2).sum()),"
                + " ' '.join('%.3f' % v for v in im.header.get_zooms()))");
    assertEquals(
        "uint8 (64, 64, 16) "
            + study.labels().count(LIVER)
            + " "
            + study.labels().count(TUMOR)
            + " 6.000 6.000 4.000",
        nib);

    List<String> lines = Files.readAllLines(csv);
    assertEquals(ResultExports.CSV_HEADER, lines.get(0));
    assertEquals(
        String.format(
            java.util.Locale.ROOT,
            "1,liver,%d,%.3f",
            study.labels().count(LIVER),
            study.labels().volumeMl(LIVER)),
        lines.get(1));
    assertTrue(lines.get(2).startsWith("2,tumor," + study.labels().count(TUMOR) + ","));

    BufferedImage image = ImageIO.read(png.toFile());
    assertEquals(64, image.getWidth());
    assertEquals(64, image.getHeight());
    int[] shown = onFx(axial::renderedPixels);
    for (int i = 0; i < shown.length; i++) {
      assertEquals(shown[i], image.getRGB(i % 64, i / 64), "pixel " + i);
    }
  }

  @Test
  void dicomSegExportIsValidAndOpensBackAsTheSameOverlay(FxRobot robot) throws Exception {
    Path folder = temp.resolve("ct series");
    CtSeriesWriter.write(
        study.ct(), folder, CtSeriesWriter.Options.builder().build(), ProgressListener.NONE);
    DicomIndex.Series scanned = DicomScanner.scan(folder, ProgressListener.NONE).allSeries().get(0);
    LoadedSeries loaded = SeriesLoader.load(scanned, ProgressListener.NONE);
    Geometry grid = loaded.volume().geometry();
    LabelVolume labels = new LabelVolume(grid, study.labels().values(), LiverTumorLabels.TABLE);
    robot.interact(
        () -> {
          dicomSeries = scanned;
          model.setSeries(loaded);
          results.setLabels(labels);
        });
    Path seg = temp.resolve("labels.seg.dcm");

    onFx(() -> results.export(ResultsController.Export.DICOM_SEG, seg)).get();
    assertNull(onFx(ViewerTestSupport::findDialog), "no error");

    Process p =
        new ProcessBuilder("/usr/bin/dciodvfy", seg.toString()).redirectErrorStream(true).start();
    String report = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), report);
    assertTrue(report.contains("Segmentation"), report);
    assertEquals(List.of(), report.lines().filter(l -> l.startsWith("Error")).toList(), report);
    assertEquals(
        "MANUAL 2",
        python(
            "import pydicom; d = pydicom.dcmread('"
                + seg
                + "'); print(d.SegmentSequence[0].SegmentAlgorithmType, len(d.SegmentSequence))"));

    robot.interact(() -> results.setLabels(null));
    onFx(() -> results.openSeg(seg)).get();
    assertNull(onFx(ViewerTestSupport::findDialog), "no error");
    assertArrayEquals(labels.values(), onFx(() -> results.editor().values().clone()));
    assertEquals(
        List.of("liver", "tumor"),
        onFx(() -> results.editor().table().stream().map(LabelVolume.Label::name).toList()));
  }

  @Test
  void labelsOfAnotherGridGiveAnErrorDialog(FxRobot robot) throws Exception {
    Geometry other = Geometry.axisAligned(64, 64, 15, new double[] {6, 6, 4}, new double[3]);
    Path file = temp.resolve("other grid.nii");
    NiftiWriter.write(new LabelVolume(other, new byte[64 * 64 * 15], List.of()), file);

    onFx(() -> results.openLabels(file)).get();

    DialogPane dialog = onFx(ViewerTestSupport::findDialog);
    assertNotNull(dialog);
    String text = onFx(dialog::getContentText);
    assertTrue(text.contains(file.toString()), text);
    assertTrue(text.contains("does not match"), text);
    assertNull(onFx(results::editor), "no labels shown");
    robot.clickOn(onFx(() -> (Button) dialog.lookupButton(ButtonType.OK)));
  }

  @Test
  void aModelThatCannotBeLoadedGivesAnErrorDialog(FxRobot robot) throws Exception {
    Path broken = Files.createDirectories(temp.resolve("broken model"));
    Files.writeString(broken.resolve("model.json"), "{ not json");
    robot.interact(
        () -> {
          results.modelDirectory = () -> broken;
          results.runSegmentation();
        });
    WaitForAsyncUtils.waitFor(
        TIMEOUT_S, TimeUnit.SECONDS, () -> onFx(ViewerTestSupport::findDialog) != null);
    DialogPane dialog = onFx(ViewerTestSupport::findDialog);
    assertEquals("The model failed", onFx(dialog::getHeaderText));
    assertTrue(onFx(dialog::getContentText).contains("broken model"), onFx(dialog::getContentText));
    WaitForAsyncUtils.waitFor(
        TIMEOUT_S, TimeUnit.SECONDS, () -> !onFx(() -> results.runner.busyProperty().get()));
    assertNull(onFx(results::editor));
  }

  @Test
  void cancellingTheModelStopsItAndShowsNoLabels(FxRobot robot) throws Exception {
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch cancelled = new CountDownLatch(1);
    Callable<Path> builtIn = results.modelDirectory;
    robot.interact(
        () -> {
          results.modelDirectory =
              () -> {
                loading.countDown();
                cancelled.await(TIMEOUT_S, TimeUnit.SECONDS);
                return builtIn.call();
              };
          results.runSegmentation();
        });
    assertTrue(loading.await(TIMEOUT_S, TimeUnit.SECONDS));
    assertTrue(onFx(() -> results.runner.isVisible()));
    assertEquals("Loading the model", onFx(() -> results.runner.message.getText()));
    robot.clickOn(onFx(() -> results.runner.cancel));
    cancelled.countDown();

    WaitForAsyncUtils.waitFor(
        TIMEOUT_S, TimeUnit.SECONDS, () -> !onFx(() -> results.runner.busyProperty().get()));
    assertTrue(onFx(() -> results.runner.message.getText()).startsWith("Cancelled"));
    assertNull(onFx(results::editor), "no labels");
    assertNull(onFx(ViewerTestSupport::findDialog), "cancelling is no error");
  }

  @Test
  void theBuiltInModelRunsWithProgressAndItsResultIsShown(FxRobot robot) throws Exception {
    List<Double> progress = new CopyOnWriteArrayList<>();
    List<String> timeLeft = new CopyOnWriteArrayList<>();
    robot.interact(
        () -> {
          results
              .runner
              .progress
              .progressProperty()
              .addListener((o, a, b) -> progress.add(b.doubleValue()));
          results.runner.timeLeft.textProperty().addListener((o, a, b) -> timeLeft.add(b));
          results.runSegmentation();
        });
    WaitForAsyncUtils.waitFor(
        TIMEOUT_S, TimeUnit.SECONDS, () -> !onFx(() -> results.runner.busyProperty().get()));
    WaitForAsyncUtils.waitForFxEvents();
    DialogPane dialog = onFx(ViewerTestSupport::findDialog);
    if (dialog != null) {
      assertEquals(
          "Segmentation warnings", onFx(dialog::getHeaderText), onFx(dialog::getContentText));
      robot.clickOn(onFx(() -> (Button) dialog.lookupButton(ButtonType.OK)));
    }
    assertNotNull(onFx(results::editor), "the result is shown");
    assertEquals(study.ct().geometry(), onFx(() -> results.editor().geometry()));
    assertEquals("on cpu", onFx(() -> results.runner.device.getText()));
    assertTrue(progress.stream().anyMatch(p -> p > 0.1 && p < 0.95), "progress: " + progress);
    assertTrue(onFx(() -> results.runner.message.getText()).startsWith("Done"));
    System.out.println("time left shown: " + timeLeft);
  }

  @Test
  void streakReductionShowsBeforeAndAfterInSyncWithTheViewer(FxRobot robot) throws Exception {
    List<Volume> phases = new java.util.ArrayList<>();
    for (int p = 0; p < 4; p++) {
      phases.add(
          CalibrationPhantom.create(48, 40, 6, CalibrationPhantom.defaultSpacingMm(), 20 + p, 40));
    }
    Volume4D study = new Volume4D(phases, List.of("0%", "25%", "50%", "75%"));
    Path modelDir = temp.resolve("tiny rstar4d");
    saveTinyStreakModel(modelDir);
    robot.interact(
        () -> {
          model.setSeries(new LoadedSeries("1.2.4", "4D", study, List.of()));
          results.streakModelDirectory = () -> modelDir;
          results.reduceStreaks();
        });
    WaitForAsyncUtils.waitFor(
        TIMEOUT_S, TimeUnit.SECONDS, () -> !onFx(() -> results.runner.busyProperty().get()));
    WaitForAsyncUtils.waitForFxEvents();
    assertNull(onFx(ViewerTestSupport::findDialog), "no error");
    BeforeAfterWindow window = onFx(() -> results.comparison);
    assertNotNull(window);
    assertTrue(onFx(window.stage::isShowing));
    assertEquals("on cpu", onFx(() -> results.runner.device.getText()));
    Volume4D corrected = onFx(() -> window.after.phases());
    assertEquals(4, corrected.phaseCount());
    assertTrue(corrected.geometry().sameGrid(study.geometry(), 1e-9));

    robot.interact(
        () -> {
          model.phaseProperty().set(2);
          model.windowLevelProperty().set(new WindowLevel(0, 1500));
          window.afterView.scrollBy(1);
        });
    WaitForAsyncUtils.waitForFxEvents();
    int slice = onFx(() -> axial.slice());
    assertEquals(3 + 1, slice, "scrolling the after view moved the viewer");
    assertEquals(slice, (int) onFx(() -> window.beforeView.slice()));
    assertEquals(slice, (int) onFx(() -> window.afterView.slice()));
    WindowLevel window1500 = new WindowLevel(0, 1500);
    assertArrayEquals(
        rendered(window.beforeView, study.phases().get(2), slice, window1500),
        onFx(window.beforeView::renderedPixels),
        "before: phase 2 of the study at the viewer's slice and window");
    assertArrayEquals(
        rendered(window.afterView, corrected.phases().get(2), slice, window1500),
        onFx(window.afterView::renderedPixels),
        "after: phase 2 of the corrected study");
    assertFalse(
        java.util.Arrays.equals(
            onFx(window.beforeView::renderedPixels), onFx(window.afterView::renderedPixels)),
        "the model changed the image");

    robot.clickOn(onFx(() -> window.showInViewer));
    assertEquals(corrected, onFx(() -> model.phases()));
    assertFalse(onFx(window.stage::isShowing));
  }

  @Test
  void streakReductionWithoutAModelGivesAnErrorDialog(FxRobot robot) throws Exception {
    List<Volume> phases = List.of(study.ct(), study.ct(), study.ct());
    robot.interact(
        () -> {
          model.setSeries(
              new LoadedSeries(
                  "1.2.5", "4D", new Volume4D(phases, List.of("a", "b", "c")), List.of()));
          results.streakModelDirectory = () -> temp.resolve("no such model");
          results.reduceStreaks();
        });
    WaitForAsyncUtils.waitFor(
        TIMEOUT_S, TimeUnit.SECONDS, () -> onFx(ViewerTestSupport::findDialog) != null);
    DialogPane dialog = onFx(ViewerTestSupport::findDialog);
    assertEquals("Streak reduction failed", onFx(dialog::getHeaderText));
    assertTrue(
        onFx(dialog::getContentText).contains("no such model"), onFx(dialog::getContentText));
    assertNull(onFx(() -> results.comparison));
  }

  private static int[] rendered(SliceView view, Volume volume, int slice, WindowLevel window)
      throws Exception {
    return onFx(
        () -> {
          SlicePlane plane = view.slicePlane();
          int[] argb = new int[plane.width() * plane.height()];
          new SliceRenderer().render(volume, plane, slice, 0, window, null, argb);
          return argb;
        });
  }

  /** A randomly initialised tiny RSTAR4D-Net saved as a model folder. */
  private static void saveTinyStreakModel(Path dir) throws Exception {
    DjlEnvironment.configure();
    Rstar4dModelCard.Variant variant = Rstar4dModelCard.Variant.RSTAR4D;
    Rstar4dConfig config = new Rstar4dConfig(new int[] {4, 8}, true, true, 0.2f, true);
    try (Model m = Model.newInstance("rstar4d", Device.cpu(), "PyTorch")) {
      Rstar4dNet net = new Rstar4dNet(config);
      m.setBlock(net);
      net.initialize(m.getNDManager(), DataType.FLOAT32, net.inputShape(1, 4, 2, 16, 16));
      Rstar4dModelFiles.save(
          m,
          new Rstar4dModelCard(
              variant.modelId(),
              "0.0.1",
              variant,
              config,
              Rstar4dModelCard.Stage.BLOCKS_4D,
              Rstar4dModelCard.PAPER_SCALE_HU,
              null,
              Rstar4dModelCard.Training.noneRecorded()),
          dir);
    }
  }

  private static String python(String code) throws Exception {
    Process p =
        new ProcessBuilder("/usr/bin/python3", "-c", code).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes()).strip();
    assertEquals(0, p.waitFor(), out);
    return out;
  }
}
