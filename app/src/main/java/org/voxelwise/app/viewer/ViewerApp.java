package org.voxelwise.app.viewer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.concurrent.Task;
import javafx.geometry.Insets;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Slider;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.voxelwise.imaging.BadInputException;
import org.voxelwise.imaging.dicom.DicomIndex;
import org.voxelwise.imaging.dicom.DicomScanner;
import org.voxelwise.imaging.dicom.SeriesLoader;
import org.voxelwise.imaging.nifti.NiftiReader;
import org.voxelwise.imaging.progress.ProgressListener;
import org.voxelwise.imaging.render.WindowLevel;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.Volume;

/**
 * The viewer window: loads a study in the background (progress shown, window never blocked) and
 * shows its largest series slice by slice in the abdomen window, scrolled by mouse wheel, arrow
 * keys or slider, with the slice position in the status line.
 */
public final class ViewerApp extends Application {
  private static volatile Path initialPath;

  final ImageView imageView = new ImageView();
  final Slider sliceSlider = new Slider(0, 0, 0);
  final Label status = new Label("Opening…");
  final ProgressBar progressBar = new ProgressBar(0);

  /** How {@link #open} reads a study (on a background thread): by default its largest series. */
  Loader loader = ViewerApp::loadLargestSeries;

  private Volume volume;
  private WritableImage image;
  private int[] pixels;

  /** Opens the viewer on {@code path} and returns when its window is closed. */
  public static void launchOn(Path path) {
    initialPath = path;
    Application.launch(ViewerApp.class);
  }

  /** Sets what the next window opens (for tests that start the application themselves). */
  public static void setInitialPath(Path path) {
    initialPath = path;
  }

  @Override
  public void start(Stage stage) {
    imageView.setPreserveRatio(true);
    StackPane center = new StackPane(imageView);
    center.setStyle("-fx-background-color: black;");
    center.setMinSize(0, 0);
    imageView.fitWidthProperty().bind(center.widthProperty());
    imageView.fitHeightProperty().bind(center.heightProperty());
    sliceSlider.setOrientation(javafx.geometry.Orientation.VERTICAL);
    sliceSlider.setDisable(true);
    sliceSlider.valueProperty().addListener((o, a, b) -> showSlice(b.intValue()));
    center.setOnScroll(
        e -> sliceSlider.setValue(sliceSlider.getValue() + Math.signum(e.getDeltaY())));
    HBox bottom = new HBox(8, progressBar, status);
    HBox.setHgrow(status, Priority.ALWAYS);
    bottom.setPadding(new Insets(4));
    BorderPane root = new BorderPane(center);
    root.setRight(sliceSlider);
    root.setBottom(bottom);
    Scene scene = new Scene(root, 900, 760);
    scene.setOnKeyPressed(
        e -> {
          if (e.getCode() == KeyCode.UP || e.getCode() == KeyCode.PAGE_UP) {
            sliceSlider.increment();
          } else if (e.getCode() == KeyCode.DOWN || e.getCode() == KeyCode.PAGE_DOWN) {
            sliceSlider.decrement();
          }
        });
    stage.setTitle("Voxelwise");
    stage.setScene(scene);
    stage.show();
    if (initialPath != null) {
      open(initialPath, stage);
    }
  }

  /** Loads {@code path} in the background and shows it when ready; errors appear in a dialog. */
  void open(Path path, Stage stage) {
    Loader reader = loader;
    Task<Volume> load =
        new Task<>() {
          @Override
          protected Volume call() throws Exception {
            ProgressListener listener =
                new ProgressListener() {
                  @Override
                  public void update(double fraction, String message) {
                    updateProgress(fraction, 1);
                    updateMessage(message);
                  }

                  @Override
                  public boolean isCancelled() {
                    return Thread.currentThread().isInterrupted() || isCancelled0();
                  }
                };
            return reader.load(path, listener);
          }

          private boolean isCancelled0() {
            return super.isCancelled();
          }
        };
    progressBar.progressProperty().bind(load.progressProperty());
    status.textProperty().bind(load.messageProperty());
    load.setOnSucceeded(
        e -> {
          unbind();
          show(load.getValue());
          stage.setTitle("Voxelwise — " + path);
        });
    load.setOnFailed(
        e -> {
          unbind();
          Throwable t = load.getException();
          String message =
              t instanceof BadInputException
                  ? t.getMessage()
                  : path + ": cannot be opened (" + t + ")";
          status.setText(message);
          Alert alert = new Alert(Alert.AlertType.ERROR, message);
          alert.initOwner(stage);
          alert.setHeaderText("Cannot open");
          alert.show();
        });
    Thread worker = new Thread(load, "voxelwise-open");
    worker.setDaemon(true);
    worker.start();
  }

  private void unbind() {
    progressBar.progressProperty().unbind();
    status.textProperty().unbind();
    progressBar.setProgress(1);
  }

  /** Reads a study into the volume to show, reporting progress and honouring cancellation. */
  interface Loader {
    Volume load(Path path, ProgressListener progress) throws BadInputException, IOException;
  }

  /** The series with the most slices at the path (the one a reader most likely wants first). */
  static Volume loadLargestSeries(Path path, ProgressListener progress)
      throws BadInputException, IOException {
    String name = path.getFileName() == null ? "" : path.getFileName().toString();
    if (name.endsWith(".nii") || name.endsWith(".nii.gz")) {
      return NiftiReader.read(path);
    }
    DicomIndex index = DicomScanner.scan(path, progress.part(0, 0.2));
    DicomIndex.Series largest =
        index.allSeries().stream()
            .max(Comparator.comparingInt(DicomIndex.Series::frameCount))
            .orElseThrow(() -> new BadInputException(path, "no DICOM images found"));
    return SeriesLoader.load(largest, progress.part(0.2, 1)).volume();
  }

  private void show(Volume v) {
    volume = v;
    Geometry g = v.geometry();
    image = new WritableImage(g.sizeX(), g.sizeY());
    pixels = new int[g.sizeX() * g.sizeY()];
    imageView.setImage(image);
    double[] sp = g.spacingMm();
    imageView.setScaleX(1);
    imageView.setScaleY(sp[1] / sp[0]);
    sliceSlider.setMax(g.sizeZ() - 1);
    sliceSlider.setBlockIncrement(1);
    sliceSlider.setMajorTickUnit(1);
    sliceSlider.setSnapToTicks(true);
    sliceSlider.setDisable(g.sizeZ() < 2);
    sliceSlider.setValue(g.sizeZ() / 2);
    showSlice(g.sizeZ() / 2);
  }

  private void showSlice(int z) {
    if (volume == null) {
      return;
    }
    Geometry g = volume.geometry();
    int k = Math.max(0, Math.min(g.sizeZ() - 1, z));
    WindowLevel.ABDOMEN.renderAxial(volume, k, pixels);
    image
        .getPixelWriter()
        .setPixels(
            0, 0, g.sizeX(), g.sizeY(), PixelFormat.getIntArgbInstance(), pixels, 0, g.sizeX());
    double[] p = g.voxelToPatient(0, 0, k);
    status.setText(
        String.format(
            Locale.ROOT,
            "slice %d/%d   z = %.1f mm   %s %d×%d×%d   W/L %.0f/%.0f",
            k + 1,
            g.sizeZ(),
            p[2],
            volume.modality(),
            g.sizeX(),
            g.sizeY(),
            g.sizeZ(),
            WindowLevel.ABDOMEN.width(),
            WindowLevel.ABDOMEN.center()));
  }

  /** The slice now shown (0-based), for tests. */
  int currentSlice() {
    return (int) Math.round(sliceSlider.getValue());
  }

  @Override
  public void stop() {
    Platform.exit();
  }
}
