package org.voxelwise.app.viewer.results;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.Slider;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import org.voxelwise.app.viewer.SliceTool;
import org.voxelwise.app.viewer.SliceView;
import org.voxelwise.app.viewer.ViewerModel;
import org.voxelwise.imaging.BadInputException;
import org.voxelwise.imaging.dicom.DicomIndex;
import org.voxelwise.imaging.dicom.LoadedSeries;
import org.voxelwise.imaging.dicom.SegmentationReader;
import org.voxelwise.imaging.dicom.SegmentationSource;
import org.voxelwise.imaging.dicom.SegmentationWriter;
import org.voxelwise.imaging.nifti.NiftiWriter;
import org.voxelwise.imaging.progress.ProgressListener;
import org.voxelwise.imaging.render.LabelOverlay;
import org.voxelwise.imaging.render.Plane;
import org.voxelwise.imaging.render.SliceOverlay;
import org.voxelwise.imaging.render.SlicePlane;
import org.voxelwise.imaging.volume.LabelVolume;
import org.voxelwise.imaging.volume.Volume;
import org.voxelwise.imaging.volume.Volume4D;
import org.voxelwise.imaging.volume.edit.LabelEditor;
import org.voxelwise.segmentation.engine.DeviceChoice;
import org.voxelwise.segmentation.hdenseunet.HDenseUNetModelDirectory;
import org.voxelwise.segmentation.hdenseunet.LiverTumorSegmenter;
import org.voxelwise.segmentation.rstar.StreakReducer;

/**
 * The viewer's "Results": the labels laid over the views, their legend, correcting them with brush
 * and eraser (undo/redo), running the liver/tumor model in the background, and exporting.
 *
 * <p>For 4D studies it also runs streak reduction and shows the result before/after in sync.
 *
 * <p>The viewer installs {@link #layer()} as every view's overlay, puts {@link #panel()} beside the
 * views and {@link #runner()} under them, and adds {@link #menu()} and {@link #exportMenu()} to its
 * menu bar. Labels are shown only on the grid they were made for: opening labels of another grid is
 * refused with a message, and a new series clears them. Errors appear as dialogs; nothing here
 * blocks the FX thread on a model or on file input and output. Use on the FX thread.
 */
public final class ResultsController {
  /** Smallest and largest brush radius in mm. */
  static final double MIN_RADIUS_MM = 0.5;

  static final double MAX_RADIUS_MM = 30;

  private final ViewerModel model;
  private final Supplier<List<SliceView>> views;
  private final Supplier<SliceView> activeView;
  private final Supplier<Window> owner;
  private final Supplier<DicomIndex.Series> dicomSeries;

  final ModelRunner runner = new ModelRunner();
  final VBox panel = new VBox(6);
  final VBox legendHolder = new VBox();
  final ToggleGroup tools = new ToggleGroup();
  final ToggleButton navigate = new ToggleButton("Navigate");
  final ToggleButton brush = new ToggleButton("Brush");
  final ToggleButton eraser = new ToggleButton("Eraser");
  final Slider radiusMm = new Slider(MIN_RADIUS_MM, MAX_RADIUS_MM, 3);
  final Label radiusText = new Label();
  final ComboBox<LabelVolume.Label> currentLabel = new ComboBox<>();
  final Button undo = new Button("Undo");
  final Button redo = new Button("Redo");
  final Button save = new Button("Save labels…");
  final MenuItem runSegmentation = new MenuItem("Run liver/tumor segmentation");
  final MenuItem reduceStreaks = new MenuItem("Reduce streaks (4D)");

  /** Where the liver/tumor model is read from (the built-in model unless a test says otherwise). */
  Callable<Path> modelDirectory = ResultsController::builtInModel;

  /** Where the streak-reduction model is read from (null: the built-in model). */
  Callable<Path> streakModelDirectory = () -> null;

  /** The before/after window of the last streak reduction, or null. */
  BeforeAfterWindow comparison;

  /** Where the model runs. */
  DeviceChoice device = DeviceChoice.AUTO;

  private LabelEditor editor;
  private LabelOverlay overlay;
  private String madeBy;
  private boolean edited;
  private LegendPanel legend;
  private final SliceOverlay layer = this::composite;

  /**
   * @param model what the viewer shows
   * @param views the views that show labels (redrawn after every change)
   * @param activeView the view "current view" exports take
   * @param owner the window dialogs belong to
   * @param dicomSeries the scanned DICOM series the shown volume was loaded from, or null (e.g.
   *     NIfTI): what an exported DICOM SEG refers to
   */
  public ResultsController(
      ViewerModel model,
      Supplier<List<SliceView>> views,
      Supplier<SliceView> activeView,
      Supplier<Window> owner,
      Supplier<DicomIndex.Series> dicomSeries) {
    this.model = model;
    this.views = views;
    this.activeView = activeView;
    this.owner = owner;
    this.dicomSeries = dicomSeries;
    buildPanel();
    model.seriesProperty().addListener((o, a, b) -> setLabels(null));
    runSegmentation.disableProperty().bind(runner.busyProperty());
    reduceStreaks
        .disableProperty()
        .bind(
            runner
                .busyProperty()
                .or(
                    javafx.beans.binding.Bindings.createBooleanBinding(
                        () ->
                            model.series() == null
                                || model.phases().phaseCount() < StreakReducer.MIN_PHASES,
                        model.seriesProperty())));
    setLabels(null);
  }

  private static Path builtInModel() throws IOException, BadInputException {
    return HDenseUNetModelDirectory.builtIn()
        .orElseThrow(() -> new BadInputException("model", "this build has no built-in model"));
  }

  private void buildPanel() {
    navigate.setToggleGroup(tools);
    brush.setToggleGroup(tools);
    eraser.setToggleGroup(tools);
    navigate.setSelected(true);
    BrushTool brushTool = new BrushTool(this, LabelEditor.Tool.BRUSH);
    BrushTool eraserTool = new BrushTool(this, LabelEditor.Tool.ERASER);
    tools
        .selectedToggleProperty()
        .addListener(
            (o, a, b) -> {
              if (b == null) {
                navigate.setSelected(true);
                return;
              }
              model
                  .toolProperty()
                  .set(b == brush ? brushTool : b == eraser ? eraserTool : SliceTool.NAVIGATE);
            });
    model
        .toolProperty()
        .addListener(
            (o, a, b) -> {
              if (!(b instanceof BrushTool)) {
                tools.selectToggle(navigate);
              }
            });
    radiusMm.setShowTickMarks(true);
    radiusMm.setMajorTickUnit(10);
    radiusText
        .textProperty()
        .bind(radiusMm.valueProperty().asString(Locale.ROOT, "Brush radius %.1f mm"));
    currentLabel.setCellFactory(list -> new LabelCell());
    currentLabel.setButtonCell(new LabelCell());
    undo.setOnAction(e -> undo());
    redo.setOnAction(e -> redo());
    save.setOnAction(e -> chooseAndExport("Save labels", "labels.nii.gz", Export.LABELS_NIFTI));
    Label title = new Label("Labels");
    title.setStyle("-fx-font-weight: bold;");
    panel.setPadding(new Insets(6));
    panel.setPrefWidth(330);
    panel
        .getChildren()
        .addAll(
            title,
            legendHolder,
            new HBox(4, navigate, brush, eraser),
            currentLabel,
            radiusText,
            radiusMm,
            new HBox(4, undo, redo, save));
  }

  /** Shows a label's colour and name in the current-label chooser. */
  private static final class LabelCell extends ListCell<LabelVolume.Label> {
    @Override
    protected void updateItem(LabelVolume.Label item, boolean empty) {
      super.updateItem(item, empty);
      setText(empty || item == null ? null : item.value() + " " + item.name());
    }
  }

  /** The overlay layer to install in every view: the labels, when they fit the plane's grid. */
  public SliceOverlay layer() {
    return layer;
  }

  private void composite(SlicePlane plane, int slice, int phase, int[] argb) {
    if (editor != null && plane.geometry().equals(editor.geometry())) {
      overlay.composite(editor.values(), plane, slice, argb);
    }
  }

  /** The side panel: legend and correction tools. */
  public Node panel() {
    return panel;
  }

  /** The bar that shows a running model (hidden until one runs). */
  public ModelRunner runner() {
    return runner;
  }

  /** The "Results" menu: open labels, run the model, save, undo and redo. */
  public Menu menu() {
    MenuItem open = new MenuItem("Open labels (NIfTI)…");
    open.setOnAction(e -> chooseAndOpenLabels(false));
    MenuItem openSeg = new MenuItem("Open SEG overlay…");
    openSeg.setOnAction(e -> chooseAndOpenLabels(true));
    runSegmentation.setOnAction(e -> runSegmentation());
    reduceStreaks.setOnAction(e -> reduceStreaks());
    MenuItem saveItem = new MenuItem("Save labels…");
    saveItem.setAccelerator(new KeyCodeCombination(KeyCode.S, KeyCombination.SHORTCUT_DOWN));
    saveItem.disableProperty().bind(save.disableProperty());
    saveItem.setOnAction(save.getOnAction());
    MenuItem undoItem = new MenuItem("Undo");
    undoItem.setAccelerator(new KeyCodeCombination(KeyCode.Z, KeyCombination.SHORTCUT_DOWN));
    undoItem.disableProperty().bind(undo.disableProperty());
    undoItem.setOnAction(e -> undo());
    MenuItem redoItem = new MenuItem("Redo");
    redoItem.setAccelerator(new KeyCodeCombination(KeyCode.Y, KeyCombination.SHORTCUT_DOWN));
    redoItem.disableProperty().bind(redo.disableProperty());
    redoItem.setOnAction(e -> redo());
    return new Menu(
        "Results",
        null,
        open,
        openSeg,
        runSegmentation,
        reduceStreaks,
        saveItem,
        new SeparatorMenuItem(),
        undoItem,
        redoItem);
  }

  /**
   * File ▸ Export: labels as NIfTI or DICOM SEG (of the DICOM series shown), label volumes as CSV,
   * the current view as PNG.
   */
  public Menu exportMenu() {
    Menu export = new Menu("Export");
    for (Export kind : Export.values()) {
      MenuItem item = new MenuItem(kind.title);
      item.setOnAction(e -> chooseAndExport(kind.title, kind.defaultName, kind));
      if (kind != Export.VIEW_PNG) {
        item.disableProperty().bind(save.disableProperty());
      }
      export.getItems().add(item);
    }
    return export;
  }

  // ---- labels

  /** The labels shown, as edited so far (their editor), or null when none are shown. */
  public LabelEditor editor() {
    return editor;
  }

  /** The overlay settings of the labels shown, or null when none are. */
  LabelOverlay overlay() {
    return overlay;
  }

  /** The legend of the labels shown, or null when none are. */
  LegendPanel legend() {
    return legend;
  }

  /** The label value the brush paints and the eraser clears (0 when there are no labels). */
  int currentLabel() {
    LabelVolume.Label l = currentLabel.getValue();
    return l == null ? 0 : l.value();
  }

  double brushRadiusMm() {
    return radiusMm.getValue();
  }

  /**
   * Shows {@code labels} over the current series (null removes them).
   *
   * @throws IllegalArgumentException when they are not on the grid of the series shown
   */
  public void setLabels(LabelVolume labels) {
    setLabels(labels, null);
  }

  /**
   * Shows labels made by {@code algorithm} (a model's id and version), or by hand or unknown
   * ({@code null}); what an exported DICOM SEG says of how they were made.
   */
  private void setLabels(LabelVolume labels, String algorithm) {
    if (labels != null) {
      Volume volume = model.volume();
      if (volume == null || !volume.geometry().equals(labels.geometry())) {
        throw new IllegalArgumentException("the labels are not on the grid of the series shown");
      }
    }
    editor = labels == null ? null : new LabelEditor(labels);
    madeBy = algorithm;
    edited = false;
    overlay = labels == null ? null : new LabelOverlay(labels.table());
    legend = labels == null ? null : new LegendPanel(overlay, editor, this::refreshViews);
    legendHolder
        .getChildren()
        .setAll(
            legend == null
                ? List.of(new Label("No labels: open or compute some."))
                : List.of(legend));
    currentLabel.getItems().setAll(labels == null ? List.of() : labels.table());
    if (labels != null && !labels.table().isEmpty()) {
      currentLabel.setValue(labels.table().get(0));
    }
    currentLabel.setDisable(labels == null);
    brush.setDisable(labels == null);
    eraser.setDisable(labels == null);
    save.setDisable(labels == null);
    if (labels == null) {
      tools.selectToggle(navigate);
    }
    updateUndoButtons();
    refreshViews();
  }

  /** Called by the brush after dabs ({@code strokeEnded} false) and at the end of a stroke. */
  void labelsEdited(boolean strokeEnded) {
    refreshViews();
    if (strokeEnded) {
      edited = true;
      legend.updateVolumes();
      updateUndoButtons();
    }
  }

  /** Undoes the last stroke, if any. */
  public void undo() {
    if (editor != null && editor.undo()) {
      labelsEdited(true);
    }
  }

  /** Redoes the last undone stroke, if any. */
  public void redo() {
    if (editor != null && editor.redo()) {
      labelsEdited(true);
    }
  }

  private void updateUndoButtons() {
    undo.setDisable(editor == null || !editor.canUndo());
    redo.setDisable(editor == null || !editor.canRedo());
  }

  private void refreshViews() {
    for (SliceView view : views.get()) {
      view.refresh();
    }
  }

  private void chooseAndOpenLabels(boolean seg) {
    FileChooser chooser = new FileChooser();
    chooser.setTitle(seg ? "Open a DICOM SEG" : "Open labels");
    chooser
        .getExtensionFilters()
        .add(
            seg
                ? new FileChooser.ExtensionFilter("DICOM SEG", "*.dcm", "*")
                : new FileChooser.ExtensionFilter("NIfTI labels", "*.nii", "*.nii.gz"));
    java.io.File file = chooser.showOpenDialog(owner.get());
    if (file != null) {
      if (seg) {
        openSeg(file.toPath());
      } else {
        openLabels(file.toPath());
      }
    }
  }

  /**
   * Reads a labels file in the background ({@link LabelFiles#readNifti}) and shows it over the
   * current series; a file that cannot be used (unreadable, another grid) gives an error dialog.
   *
   * @return completes on the FX thread once the labels are shown or the error reported
   */
  public CompletableFuture<Void> openLabels(Path file) {
    Volume volume = model.volume();
    if (volume == null) {
      error("Cannot open labels", file + ": open an image first, then its labels");
      return CompletableFuture.completedFuture(null);
    }
    return background(
        () -> LabelFiles.readNifti(file, volume.geometry()),
        labels -> {
          if (model.volume() == volume) {
            setLabels(labels);
          }
        },
        "Cannot open labels");
  }

  /**
   * Reads a DICOM SEG that refers to the series shown ({@link SegmentationReader}) in the
   * background and shows it; a SEG of another series, or one that cannot be read, gives an error
   * dialog.
   *
   * @return completes on the FX thread once the labels are shown or the error reported
   */
  public CompletableFuture<Void> openSeg(Path file) {
    LoadedSeries series = model.series();
    if (series == null || series.seriesInstanceUid().isEmpty()) {
      error("Cannot open the SEG", file + ": open the DICOM series it segments first");
      return CompletableFuture.completedFuture(null);
    }
    return background(
        () -> SegmentationReader.read(file, series),
        labels -> {
          if (model.series() == series) {
            setLabels(onShownGrid(labels));
          }
        },
        "Cannot open the SEG");
  }

  /** The same labels on the shown volume's own geometry object (the layer compares grids). */
  private LabelVolume onShownGrid(LabelVolume labels) {
    return new LabelVolume(model.volume().geometry(), labels.values(), labels.table());
  }

  // ---- the model

  /**
   * Runs liver/tumor segmentation on the series shown, in the background ({@link ModelRunner}); its
   * result becomes the labels shown. Errors (no series, a 4D series, a model that cannot be loaded
   * or fails) appear as a dialog; cancelling leaves the labels as they were.
   */
  public void runSegmentation() {
    Volume ct = model.volume();
    if (ct == null) {
      error("Cannot run the model", "Open a CT series first.");
      return;
    }
    if (model.phases().phaseCount() > 1) {
      error(
          "Cannot run the model",
          "The series is 4D ("
              + model.phases().phaseCount()
              + " phases); liver/tumor segmentation needs one 3D CT series.");
      return;
    }
    Callable<Path> where = modelDirectory;
    DeviceChoice choice = device;
    runner.run(
        "Liver/tumor segmentation",
        (progress, deviceShown) -> {
          progress.update(0, "Loading the model");
          try (LiverTumorSegmenter segmenter = LiverTumorSegmenter.open(where.call(), choice)) {
            deviceShown.accept(segmenter.deviceName());
            HDenseUNetModelDirectory.Metadata m = segmenter.metadata();
            return new ModelResult(
                segmenter.segment(ct, "the series shown", progress), m.id() + " " + m.version());
          }
        },
        run -> {
          LiverTumorSegmenter.Result result = run.result();
          if (model.volume() == ct) {
            setLabels(result.labels(), run.model());
          }
          if (!result.warnings().isEmpty()) {
            Alert alert = new Alert(Alert.AlertType.WARNING, String.join("\n", result.warnings()));
            alert.initOwner(owner.get());
            alert.setHeaderText("Segmentation warnings");
            alert.show();
          }
        },
        t -> error("The model failed", message(t)));
  }

  /**
   * Reduces the streaks of the 4D study shown ({@link StreakReducer}, the built-in model unless
   * {@link #streakModelDirectory} names one) in the background, with the mean of its phases as the
   * prior; the result opens in a {@link BeforeAfterWindow} in sync with the viewer. Errors (fewer
   * than {@value StreakReducer#MIN_PHASES} phases, no usable model, a failure) appear as a dialog.
   */
  public void reduceStreaks() {
    LoadedSeries study = model.series();
    if (study == null || study.phases().phaseCount() < StreakReducer.MIN_PHASES) {
      error(
          "Cannot reduce streaks",
          "Streak reduction needs a 4D study of at least " + StreakReducer.MIN_PHASES + " phases.");
      return;
    }
    Callable<Path> where = streakModelDirectory;
    DeviceChoice choice = device;
    Plane plane = activeView.get() == null ? Plane.AXIAL : activeView.get().plane();
    runner.run(
        "Streak reduction",
        (progress, deviceShown) -> {
          progress.update(0, "Loading the model");
          try (StreakReducer reducer = StreakReducer.open(where.call(), choice)) {
            deviceShown.accept(reducer.deviceName());
            Volume4D corrected = reducer.reduce(study.phases(), meanOf(study.phases()), progress);
            return new LoadedSeries(
                "",
                "Streaks reduced by " + reducer.modelId() + " " + reducer.modelVersion(),
                corrected,
                reducer.warnings());
          }
        },
        corrected -> {
          if (model.series() == study) {
            comparison =
                new BeforeAfterWindow(
                    model, corrected, plane, owner.get(), corrected.description());
            comparison.stage.show();
          }
        },
        t -> error("Streak reduction failed", message(t)));
  }

  /** The voxel-wise mean of the phases (what all projections together would show). */
  private static Volume meanOf(Volume4D phases) {
    int n = (int) phases.geometry().voxelCount();
    float[] sum = new float[n];
    for (Volume phase : phases.phases()) {
      for (int i = 0; i < n; i++) {
        sum[i] += phase.valueAt(i);
      }
    }
    for (int i = 0; i < n; i++) {
      sum[i] /= phases.phaseCount();
    }
    return Volume.ofFloats(phases.geometry(), phases.phases().get(0).modality(), sum);
  }

  /** A segmentation and the model (id and version) that made it. */
  private record ModelResult(LiverTumorSegmenter.Result result, String model) {}

  // ---- exports

  /** What File ▸ Export writes. */
  enum Export {
    LABELS_NIFTI("Labels as NIfTI…", "labels.nii.gz", "NIfTI", "*.nii.gz", "*.nii"),
    DICOM_SEG("Labels as DICOM SEG…", "seg.dcm", "DICOM SEG", "*.dcm"),
    VOLUMES_CSV("Label volumes as CSV…", "label-volumes.csv", "CSV", "*.csv"),
    VIEW_PNG("Current view as PNG…", "view.png", "PNG image", "*.png");

    final String title;
    final String defaultName;
    final FileChooser.ExtensionFilter filter;

    Export(String title, String defaultName, String kind, String... patterns) {
      this.title = title;
      this.defaultName = defaultName;
      this.filter = new FileChooser.ExtensionFilter(kind, patterns);
    }
  }

  private void chooseAndExport(String title, String defaultName, Export kind) {
    FileChooser chooser = new FileChooser();
    chooser.setTitle(title);
    chooser.setInitialFileName(defaultName);
    chooser.getExtensionFilters().add(kind.filter);
    java.io.File file = chooser.showSaveDialog(owner.get());
    if (file != null) {
      export(kind, file.toPath());
    }
  }

  /**
   * Writes an export in the background from what is shown now (the labels as edited so far, the
   * active view's pixels); an error gives a dialog.
   *
   * @return completes on the FX thread once the file is written or the error reported
   */
  CompletableFuture<Void> export(Export kind, Path file) {
    if (kind == Export.VIEW_PNG) {
      SliceView view = activeView.get();
      SlicePlane plane = view == null ? null : view.slicePlane();
      if (plane == null) {
        error("Cannot export", "Nothing is shown.");
        return CompletableFuture.completedFuture(null);
      }
      int[] pixels = view.renderedPixels();
      return background(
          () -> {
            ResultExports.writePng(pixels, plane.width(), plane.height(), plane.aspect(), file);
            return null;
          },
          done -> {},
          "Cannot export");
    }
    if (editor == null) {
      error("Cannot export", "There are no labels to export.");
      return CompletableFuture.completedFuture(null);
    }
    LabelVolume labels = editor.snapshot();
    DicomIndex.Series source = kind == Export.DICOM_SEG ? dicomSeries.get() : null;
    if (kind == Export.DICOM_SEG && source == null) {
      error("Cannot export", "A DICOM SEG needs a DICOM series: the image shown is not one.");
      return CompletableFuture.completedFuture(null);
    }
    SegmentationWriter.Options segOptions = segOptions();
    return background(
        () -> {
          switch (kind) {
            case LABELS_NIFTI -> NiftiWriter.write(labels, file);
            case DICOM_SEG ->
                SegmentationWriter.write(
                    labels,
                    SegmentationSource.of(source, labels.geometry()),
                    file,
                    segOptions,
                    ProgressListener.NONE);
            default -> ResultExports.writeVolumesCsv(labels, file);
          }
          return null;
        },
        done -> {},
        "Cannot export");
  }

  /**
   * How the labels were made, as a SEG says it: AUTOMATIC for a model's unedited output,
   * SEMIAUTOMATIC for a model's output edited here, MANUAL for labels opened from a file (how they
   * were made is not known).
   */
  private SegmentationWriter.Options segOptions() {
    SegmentationWriter.Options.Builder b =
        SegmentationWriter.Options.builder().seriesDescription("Labels from Voxelwise");
    if (madeBy == null) {
      b.algorithm(SegmentationWriter.AlgorithmType.MANUAL, null);
    } else {
      b.algorithm(
          edited
              ? SegmentationWriter.AlgorithmType.SEMIAUTOMATIC
              : SegmentationWriter.AlgorithmType.AUTOMATIC,
          madeBy.length() <= 64 ? madeBy : madeBy.substring(0, 64));
    }
    return b.build();
  }

  // ---- plumbing

  private <T> CompletableFuture<Void> background(
      Callable<T> work, java.util.function.Consumer<T> done, String failure) {
    CompletableFuture<Void> finished = new CompletableFuture<>();
    Thread worker =
        new Thread(
            () -> {
              try {
                T value = work.call();
                Platform.runLater(
                    () -> {
                      try {
                        done.accept(value);
                      } finally {
                        finished.complete(null);
                      }
                    });
              } catch (Exception | OutOfMemoryError e) {
                Platform.runLater(
                    () -> {
                      error(failure, message(e));
                      finished.complete(null);
                    });
              }
            },
            "voxelwise-results-io");
    worker.setDaemon(true);
    worker.start();
    return finished;
  }

  private static String message(Throwable t) {
    if (t instanceof BadInputException || t instanceof IllegalArgumentException) {
      return t.getMessage();
    }
    return t.getMessage() == null
        ? t.toString()
        : t.getMessage() + " (" + t.getClass().getSimpleName() + ")";
  }

  private void error(String header, String text) {
    Alert alert = new Alert(Alert.AlertType.ERROR, text);
    alert.initOwner(owner.get());
    alert.setHeaderText(header);
    alert.show();
  }
}
