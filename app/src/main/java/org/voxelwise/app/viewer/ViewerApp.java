package org.voxelwise.app.viewer;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.concurrent.Task;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.RadioMenuItem;
import javafx.scene.control.Separator;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.ToolBar;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Stage;
import org.voxelwise.app.viewer.results.ResultsController;
import org.voxelwise.imaging.BadInputException;
import org.voxelwise.imaging.dicom.DicomIndex;
import org.voxelwise.imaging.dicom.LoadedSeries;
import org.voxelwise.imaging.progress.OperationCancelledException;
import org.voxelwise.imaging.progress.ProgressListener;
import org.voxelwise.imaging.render.AutoWindow;
import org.voxelwise.imaging.render.PatientTransform;
import org.voxelwise.imaging.render.Plane;
import org.voxelwise.imaging.render.SliceOverlay;
import org.voxelwise.imaging.render.WindowPreset;
import org.voxelwise.imaging.volume.Volume;
import org.voxelwise.imaging.volume.Volume4D;

/**
 * The viewer window: File menu (open a folder, DICOMDIR or NIfTI file, recent studies, quit), drag
 * and drop, a study/series browser, axial/coronal/sagittal {@link SliceView}s in a 1×1 or 1×3
 * layout sharing one {@link ViewerModel}, window presets and auto window, the mouse tools, the
 * {@link PhaseBar} of 4D studies, and a status bar with progress and the value and patient
 * coordinates under the mouse.
 *
 * <p>Opening never blocks the FX thread: the scan (headers only), the middle image of the chosen
 * series (shown at once, with its thumbnail) and then the whole series load on a worker thread with
 * progress in the status bar; opening something else cancels a load still running. A study that
 * cannot be read is reported in an error dialog naming the file and the problem.
 *
 * <p>Extension points for result panels: {@link #model()}, {@link #views()}, {@link
 * #setOverlay(SliceOverlay)}, {@link #refreshViews()}, {@link #menuBar()}, {@link #toolBar()},
 * {@link #sidePanel()} (shown once it has a tab) and {@link #showError(String, String)}. The
 * results ({@link ResultsController}: label overlay and legend, brush/eraser with undo, running the
 * liver/tumor model, File ▸ Export, the Results menu) use them: the overlay on every view, the
 * "Labels" tab, the model bar above the status bar.
 */
public final class ViewerApp extends Application {
  private static volatile Path initialPath;
  private static volatile boolean initialThreeViews;
  private static volatile Path initialLabels;

  final ViewerModel model = new ViewerModel();
  final SliceView axial = new SliceView(model, Plane.AXIAL);
  final SliceView coronal = new SliceView(model, Plane.CORONAL);
  final SliceView sagittal = new SliceView(model, Plane.SAGITTAL);
  final HBox viewGrid = new HBox(2);
  final ToggleButton oneByOne = new ToggleButton("1×1");
  final ToggleButton oneByThree = new ToggleButton("1×3");
  final ChoiceBox<Plane> singlePlane = new ChoiceBox<>();
  final ToggleButton navigateTool = new ToggleButton("Navigate");
  final ToggleButton windowTool = new ToggleButton("W/L");
  final ToggleButton rulerTool = new ToggleButton("Ruler");
  final Label status = new Label("Opening…");
  final Label cursorReadout = new Label();
  final ProgressBar progressBar = new ProgressBar(0);
  final PhaseBar phaseBar = new PhaseBar(model);
  final StudyBrowser browser = new StudyBrowser(this::openEntry);
  final Menu recentMenu = new Menu("Recent");
  private final MenuBar menuBar = new MenuBar();
  private final ToolBar toolBar = new ToolBar();
  private final TabPane sidePanel = new TabPane();
  private final SplitPane split = new SplitPane();

  /** How an entry is loaded completely (on a worker thread); tests wrap it to pause a load. */
  Loader loader = StudyCatalog::load;

  RecentFiles recentFiles = RecentFiles.inUserConfig();

  private Stage stage;
  private SliceView activeView = axial;
  ResultsController results;
  private Task<?> running;
  private StudyCatalog catalog;

  /** Loads one catalog entry completely, reporting progress and honouring cancellation. */
  interface Loader {
    LoadedSeries load(StudyCatalog.Entry entry, ProgressListener progress)
        throws BadInputException, IOException;
  }

  /**
   * Opens the viewer on {@code path}, in the 1×3 layout when {@code threeViews}, and returns when
   * its window is closed.
   */
  public static void launchOn(Path path, boolean threeViews) {
    launchOn(path, threeViews, null);
  }

  /**
   * Opens the viewer on {@code path} as {@link #launchOn(Path, boolean)} does and, once its series
   * is loaded, shows {@code labels} over it (a NIfTI file or a DICOM SEG of that series; null for
   * none).
   */
  public static void launchOn(Path path, boolean threeViews, Path labels) {
    initialPath = path;
    initialThreeViews = threeViews;
    initialLabels = labels;
    Application.launch(ViewerApp.class);
  }

  /**
   * Opens {@code labels} (DICOM SEG when its name ends in .dcm, NIfTI otherwise) over the first
   * whole series that loads (not the middle-image preview, which has no series UID).
   */
  private void openLabelsOnceLoaded(Path labels) {
    javafx.beans.value.ChangeListener<LoadedSeries> once =
        new javafx.beans.value.ChangeListener<>() {
          @Override
          public void changed(
              javafx.beans.value.ObservableValue<? extends LoadedSeries> o,
              LoadedSeries before,
              LoadedSeries now) {
            if (now == null || now.seriesInstanceUid().isEmpty()) {
              return;
            }
            model.seriesProperty().removeListener(this);
            if (labels
                .getFileName()
                .toString()
                .toLowerCase(java.util.Locale.ROOT)
                .endsWith(".dcm")) {
              results.openSeg(labels);
            } else {
              results.openLabels(labels);
            }
          }
        };
    model.seriesProperty().addListener(once);
  }

  /** Sets the labels the next window shows once loaded (for tests), null for none. */
  static void setInitialLabels(Path labels) {
    initialLabels = labels;
  }

  /** Sets what the next window opens (for tests that start the application themselves). */
  public static void setInitialPath(Path path) {
    initialPath = path;
  }

  @Override
  public void start(Stage stage) {
    this.stage = stage;
    results =
        new ResultsController(
            model, this::views, this::activeView, () -> stage, this::shownDicomSeries);
    buildMenus();
    buildToolBar();
    setOverlay(results.layer());
    Tab labels = new Tab("Labels", results.panel());
    labels.setClosable(false);
    sidePanel.getTabs().add(labels);
    for (SliceView v : views()) {
      HBox.setHgrow(v, Priority.ALWAYS);
      v.setMaxWidth(Double.MAX_VALUE);
      v.addEventFilter(javafx.scene.input.MouseEvent.MOUSE_PRESSED, e -> activeView = v);
      v.addEventFilter(javafx.scene.input.MouseEvent.MOUSE_ENTERED, e -> activeView = v);
    }
    setLayout(initialThreeViews);
    viewGrid.setStyle("-fx-background-color: #202020;");
    sidePanel
        .getTabs()
        .addListener(
            (javafx.collections.ListChangeListener<javafx.scene.control.Tab>) c -> updateSplit());
    updateSplit();
    model.hoverProperty().addListener((o, a, b) -> updateCursorReadout(b));
    model.seriesProperty().addListener((o, a, b) -> updateCursorReadout(null));
    if (initialLabels != null) {
      openLabelsOnceLoaded(initialLabels);
    }

    progressBar.setPrefWidth(160);
    HBox statusBar =
        new HBox(8, progressBar, status, new Separator(Orientation.VERTICAL), cursorReadout);
    HBox.setHgrow(status, Priority.ALWAYS);
    status.setMaxWidth(Double.MAX_VALUE);
    statusBar.setPadding(new Insets(3, 6, 3, 6));
    BorderPane root = new BorderPane(split);
    root.setTop(new VBox(menuBar, toolBar));
    root.setBottom(new VBox(phaseBar, results.runner(), statusBar));
    Scene scene = new Scene(root, 1200, 800);
    scene.addEventFilter(KeyEvent.KEY_PRESSED, this::keyPressed);
    scene.setOnDragOver(
        e -> {
          if (e.getDragboard().hasFiles()) {
            e.acceptTransferModes(TransferMode.COPY_OR_MOVE);
          }
          e.consume();
        });
    scene.setOnDragDropped(
        e -> {
          List<File> files = e.getDragboard().getFiles();
          boolean ok = files != null && !files.isEmpty();
          if (ok) {
            open(files.get(0).toPath());
          }
          e.setDropCompleted(ok);
          e.consume();
        });
    stage.setTitle("Voxelwise");
    stage.setScene(scene);
    stage.show();
    if (initialPath != null) {
      open(initialPath);
    } else {
      status.setText("Open a study: File ▸ Open folder…, or drop a folder here");
    }
  }

  // ---- extension points

  /** The state all views show. */
  public ViewerModel model() {
    return model;
  }

  /** The three views: axial, coronal, sagittal. */
  public List<SliceView> views() {
    return List.of(axial, coronal, sagittal);
  }

  /** Sets the overlay layer of every view (null for none) and redraws. */
  public void setOverlay(SliceOverlay overlay) {
    views().forEach(v -> v.setOverlay(overlay));
  }

  /** Re-renders every view (e.g. after an overlay's data changed). */
  public void refreshViews() {
    views().forEach(SliceView::refresh);
  }

  public MenuBar menuBar() {
    return menuBar;
  }

  public ToolBar toolBar() {
    return toolBar;
  }

  /** Tabs shown to the right of the views (hidden while it has none). */
  public TabPane sidePanel() {
    return sidePanel;
  }

  /** Shows an error dialog (non-blocking) and the message in the status bar. */
  public void showError(String header, String message) {
    status.setText(message);
    Alert alert = new Alert(Alert.AlertType.ERROR, message);
    alert.initOwner(stage);
    alert.setHeaderText(header);
    alert.show();
  }

  // ---- building

  private void buildMenus() {
    MenuItem openFolder = new MenuItem("Open folder…");
    openFolder.setAccelerator(KeyCombination.keyCombination("Shortcut+O"));
    openFolder.setOnAction(
        e -> {
          DirectoryChooser chooser = new DirectoryChooser();
          chooser.setTitle("Open a DICOM folder");
          File dir = chooser.showDialog(stage);
          if (dir != null) {
            open(dir.toPath());
          }
        });
    MenuItem openDicomDir = new MenuItem("Open DICOMDIR…");
    openDicomDir.setOnAction(
        e ->
            chooseFile("Open a DICOMDIR", new FileChooser.ExtensionFilter("DICOMDIR", "DICOMDIR")));
    MenuItem openNifti = new MenuItem("Open NIfTI…");
    openNifti.setOnAction(
        e ->
            chooseFile(
                "Open a NIfTI file",
                new FileChooser.ExtensionFilter("NIfTI", "*.nii", "*.nii.gz")));
    MenuItem quit = new MenuItem("Quit");
    quit.setAccelerator(KeyCombination.keyCombination("Shortcut+Q"));
    quit.setOnAction(e -> Platform.exit());
    updateRecentMenu(recentFiles.list());
    Menu file =
        new Menu(
            "File",
            null,
            openFolder,
            openDicomDir,
            openNifti,
            recentMenu,
            results.exportMenu(),
            new SeparatorMenuItem(),
            quit);

    Menu view = new Menu("View");
    MenuItem one = new MenuItem("Layout 1×1");
    one.setOnAction(e -> setLayout(false));
    MenuItem three = new MenuItem("Layout 1×3");
    three.setOnAction(e -> setLayout(true));
    MenuItem reset = new MenuItem("Reset zoom and pan (R)");
    reset.setOnAction(e -> resetViews());
    view.getItems().addAll(one, three, new SeparatorMenuItem());
    int key = 1;
    for (WindowPreset preset : WindowPreset.values()) {
      MenuItem item = new MenuItem(windowLabel(preset) + " (" + key++ + ")");
      item.setOnAction(e -> model.windowLevelProperty().set(preset.window()));
      view.getItems().add(item);
    }
    MenuItem auto = new MenuItem("Auto window (A)");
    auto.setOnAction(e -> autoWindow());
    view.getItems().addAll(auto, new SeparatorMenuItem(), reset);

    Menu tools = new Menu("Tools");
    ToggleGroup toolGroup = new ToggleGroup();
    addToolItem(tools, toolGroup, "Navigate (crosshair)", SliceTool.NAVIGATE);
    addToolItem(tools, toolGroup, "Window/level drag", SliceTool.WINDOW_LEVEL);
    addToolItem(tools, toolGroup, "Ruler", SliceTool.RULER);
    menuBar.getMenus().addAll(file, view, tools, results.menu());
  }

  private void addToolItem(Menu menu, ToggleGroup group, String text, SliceTool tool) {
    RadioMenuItem item = new RadioMenuItem(text);
    item.setToggleGroup(group);
    item.setSelected(model.toolProperty().get() == tool);
    item.setOnAction(e -> model.toolProperty().set(tool));
    model.toolProperty().addListener((o, a, b) -> item.setSelected(b == tool));
    menu.getItems().add(item);
  }

  private static String windowLabel(WindowPreset preset) {
    return String.format(
        Locale.ROOT,
        "%s W%.0f L%.0f",
        preset.displayName(),
        preset.window().width(),
        preset.window().center());
  }

  private void chooseFile(String title, FileChooser.ExtensionFilter filter) {
    FileChooser chooser = new FileChooser();
    chooser.setTitle(title);
    chooser.getExtensionFilters().add(filter);
    File f = chooser.showOpenDialog(stage);
    if (f != null) {
      open(f.toPath());
    }
  }

  private void buildToolBar() {
    ToggleGroup layout = new ToggleGroup();
    oneByOne.setToggleGroup(layout);
    oneByThree.setToggleGroup(layout);
    oneByOne.setOnAction(e -> setLayout(false));
    oneByThree.setOnAction(e -> setLayout(true));
    singlePlane.getItems().setAll(Plane.values());
    singlePlane.setValue(Plane.AXIAL);
    singlePlane.setOnAction(
        e -> {
          activeView = viewOf(singlePlane.getValue());
          if (oneByOne.isSelected()) {
            setLayout(false);
          }
        });
    ToggleGroup toolGroup = new ToggleGroup();
    bindTool(navigateTool, toolGroup, SliceTool.NAVIGATE);
    bindTool(windowTool, toolGroup, SliceTool.WINDOW_LEVEL);
    bindTool(rulerTool, toolGroup, SliceTool.RULER);
    toolBar.getItems().addAll(oneByOne, oneByThree, singlePlane, new Separator());
    toolBar.getItems().addAll(navigateTool, windowTool, rulerTool, new Separator());
    for (WindowPreset preset : WindowPreset.values()) {
      Button b = new Button(preset.displayName());
      b.setFocusTraversable(false);
      b.setTooltip(new javafx.scene.control.Tooltip(windowLabel(preset)));
      b.setOnAction(e -> model.windowLevelProperty().set(preset.window()));
      toolBar.getItems().add(b);
    }
    Button auto = new Button("Auto");
    auto.setOnAction(e -> autoWindow());
    Button reset = new Button("Reset view");
    reset.setOnAction(e -> resetViews());
    toolBar.getItems().addAll(auto, new Separator(), reset);
    toolBar.getItems().forEach(n -> n.setFocusTraversable(false));
  }

  private void bindTool(ToggleButton button, ToggleGroup group, SliceTool tool) {
    button.setToggleGroup(group);
    button.setSelected(model.toolProperty().get() == tool);
    button.setOnAction(e -> model.toolProperty().set(tool));
    model.toolProperty().addListener((o, a, b) -> button.setSelected(b == tool));
  }

  private SliceView viewOf(Plane plane) {
    return switch (plane) {
      case AXIAL -> axial;
      case CORONAL -> coronal;
      case SAGITTAL -> sagittal;
    };
  }

  /** Shows the three views side by side, or only the active one. */
  void setLayout(boolean three) {
    oneByThree.setSelected(three);
    oneByOne.setSelected(!three);
    if (three) {
      viewGrid.getChildren().setAll(axial, coronal, sagittal);
    } else {
      viewGrid.getChildren().setAll(activeView);
      singlePlane.setValue(activeView.plane());
    }
  }

  private void updateSplit() {
    if (sidePanel.getTabs().isEmpty()) {
      split.getItems().setAll(browser, viewGrid);
      split.setDividerPositions(0.2);
    } else {
      split.getItems().setAll(browser, viewGrid, sidePanel);
      split.setDividerPositions(0.2, 0.75);
    }
    SplitPane.setResizableWithParent(browser, false);
  }

  private void resetViews() {
    views().forEach(SliceView::resetView);
  }

  private void autoWindow() {
    Volume v = model.volume();
    if (v != null) {
      model.windowLevelProperty().set(AutoWindow.of(v));
    }
  }

  private void keyPressed(KeyEvent e) {
    if (e.getTarget() instanceof TextInputControl
        || e.getTarget() instanceof javafx.scene.control.ListView<?>
        || e.isShortcutDown()) {
      return; // text fields and the browser's list keep their own keys
    }
    KeyCode code = e.getCode();
    switch (code) {
      case UP -> activeView.scrollBy(1);
      case DOWN -> activeView.scrollBy(-1);
      case PAGE_UP -> activeView.scrollBy(10);
      case PAGE_DOWN -> activeView.scrollBy(-10);
      case DIGIT1, NUMPAD1 -> model.windowLevelProperty().set(WindowPreset.ABDOMEN.window());
      case DIGIT2, NUMPAD2 -> model.windowLevelProperty().set(WindowPreset.LIVER.window());
      case DIGIT3, NUMPAD3 -> model.windowLevelProperty().set(WindowPreset.LUNG.window());
      case DIGIT4, NUMPAD4 -> model.windowLevelProperty().set(WindowPreset.BONE.window());
      case DIGIT5, NUMPAD5 -> model.windowLevelProperty().set(WindowPreset.BRAIN.window());
      case A -> autoWindow();
      case R -> resetViews();
      default -> {
        return;
      }
    }
    e.consume();
  }

  private void updateCursorReadout(int[] voxel) {
    Volume v = model.volume();
    if (voxel == null || v == null) {
      cursorReadout.setText("");
      return;
    }
    double[] p = new PatientTransform(v.geometry()).toPatient(voxel[0], voxel[1], voxel[2]);
    String quantity = "CT".equals(v.modality()) ? "HU" : "value";
    cursorReadout.setText(
        String.format(
            Locale.ROOT,
            "%s %.0f   (%.1f, %.1f, %.1f) mm   voxel [%d, %d, %d]",
            quantity,
            v.valueAt(voxel[0], voxel[1], voxel[2]),
            p[0],
            p[1],
            p[2],
            voxel[0],
            voxel[1],
            voxel[2]));
  }

  // ---- opening

  /** Opens a folder, DICOMDIR, DICOM file or NIfTI file: scans it, then loads its largest entry. */
  public void open(Path path) {
    startLoad(path, null);
  }

  /** Loads one entry of the open study (from the browser). */
  void openEntry(StudyCatalog.Entry entry) {
    startLoad(catalog == null ? null : catalog.path(), entry);
  }

  private void startLoad(Path path, StudyCatalog.Entry chosen) {
    if (running != null) {
      running.cancel();
    }
    Loader reader = loader;
    Task<LoadedSeries> task =
        new ProgressTask<>() {
          @Override
          protected LoadedSeries run(ProgressListener progress) throws Exception {
            StudyCatalog.Entry entry = chosen;
            if (entry == null) {
              updateMessage("Scanning " + path);
              StudyCatalog scanned = StudyCatalog.scan(path, progress.part(0, 0.1));
              entry = scanned.largest();
              StudyCatalog.Entry selected = entry;
              Platform.runLater(() -> showCatalog(scanned, selected, this));
            }
            progress.checkCancelled();
            Volume middle = StudyCatalog.loadMiddleImage(entry);
            if (middle != null) {
              StudyCatalog.Entry shown = entry;
              Platform.runLater(() -> showPreview(shown, middle, this));
            }
            updateMessage("Loading " + entry.summary());
            return reader.load(entry, progress.part(0.1, 1));
          }
        };
    running = task;
    progressBar.progressProperty().bind(task.progressProperty());
    status.textProperty().bind(task.messageProperty());
    task.setOnSucceeded(
        e -> {
          unbind();
          LoadedSeries loaded = task.getValue();
          model.setSeries(loaded);
          status.setText(describe(loaded));
          stage.setTitle("Voxelwise — " + path);
          running = null;
        });
    task.setOnFailed(
        e -> {
          unbind();
          running = null;
          Throwable t = task.getException();
          if (t instanceof OperationCancelledException) {
            status.setText("Cancelled");
            return;
          }
          String message =
              t instanceof BadInputException
                  ? t.getMessage()
                  : path + ": cannot be opened (" + t + ")";
          showError("Cannot open", message);
        });
    task.setOnCancelled(
        e -> {
          if (running == task) {
            unbind();
            running = null;
          }
        });
    Thread worker = new Thread(task, "voxelwise-open");
    worker.setDaemon(true);
    worker.start();
  }

  private void showCatalog(StudyCatalog scanned, StudyCatalog.Entry selected, Task<?> task) {
    if (running != task) {
      return;
    }
    catalog = scanned;
    browser.show(scanned, selected);
    try {
      updateRecentMenu(recentFiles.add(scanned.path()));
    } catch (IOException e) {
      status.setText("Could not update the recent list " + recentFiles.file() + ": " + e);
    }
  }

  /** Shows the middle image of the entry being loaded, until the whole series is in. */
  private void showPreview(StudyCatalog.Entry entry, Volume middle, Task<?> task) {
    if (running != task) {
      return;
    }
    browser.putThumbnail(entry, middle);
    model.setSeries(
        new LoadedSeries(
            "", entry.description(), new Volume4D(List.of(middle), List.of("")), List.of()));
  }

  private void unbind() {
    progressBar.progressProperty().unbind();
    status.textProperty().unbind();
    progressBar.setProgress(1);
  }

  private static String describe(LoadedSeries loaded) {
    Volume v = loaded.volume();
    String text =
        String.format(
            Locale.ROOT,
            "%s %s %d×%d×%d",
            loaded.description().isBlank() ? "Loaded" : loaded.description(),
            v.modality(),
            v.geometry().sizeX(),
            v.geometry().sizeY(),
            v.geometry().sizeZ());
    if (loaded.is4D()) {
      text += " × " + loaded.phases().phaseCount() + " phases";
    }
    if (!loaded.warnings().isEmpty()) {
      text += "   ⚠ " + loaded.warnings().get(0);
    }
    return text;
  }

  private void updateRecentMenu(List<Path> paths) {
    recentMenu.getItems().clear();
    for (Path p : paths) {
      MenuItem item = new MenuItem(p.toString());
      item.setMnemonicParsing(false);
      item.setOnAction(e -> open(p));
      recentMenu.getItems().add(item);
    }
    recentMenu.setDisable(paths.isEmpty());
  }

  /** The scanned DICOM series of the series shown (one of a 3D entry), or null (NIfTI, 4D). */
  DicomIndex.Series shownDicomSeries() {
    LoadedSeries shown = model.series();
    if (catalog == null || shown == null || shown.seriesInstanceUid().isEmpty() || shown.is4D()) {
      return null;
    }
    return catalog.entries().stream()
        .flatMap(e -> e.series().stream())
        .filter(s -> s.seriesInstanceUid().equals(shown.seriesInstanceUid()))
        .findFirst()
        .orElse(null);
  }

  /** The view the keys act on (under the mouse or last clicked), and the one shown in 1×1. */
  public SliceView activeView() {
    return activeView;
  }

  /** The nodes making up the view area, for tests. */
  List<Node> shownViews() {
    return List.copyOf(viewGrid.getChildren());
  }

  @Override
  public void stop() {
    Platform.exit();
  }
}
