package org.voxelwise.app.viewer.results;

import java.util.List;
import javafx.geometry.Insets;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.voxelwise.app.viewer.SliceView;
import org.voxelwise.app.viewer.ViewerModel;
import org.voxelwise.imaging.dicom.LoadedSeries;
import org.voxelwise.imaging.render.Plane;

/**
 * A window showing a 4D study before and after streak reduction side by side, in sync with the
 * viewer: both views show the viewer's slice (crosshair), phase and window, and scrolling, moving
 * the crosshair or changing the phase or window in either side or in the viewer moves all of them.
 * Each side has its own {@link ViewerModel} whose crosshair, phase and window are bound both ways
 * to the viewer's; closing the window unbinds them. "Show in viewer" puts the corrected study in
 * the main window.
 */
final class BeforeAfterWindow {
  final Stage stage = new Stage();
  final ViewerModel before = new ViewerModel();
  final ViewerModel after = new ViewerModel();
  final SliceView beforeView;
  final SliceView afterView;
  final Button showInViewer = new Button("Show the corrected study in the viewer");

  BeforeAfterWindow(
      ViewerModel viewer, LoadedSeries corrected, Plane plane, Window owner, String title) {
    before.setSeries(viewer.series());
    after.setSeries(corrected);
    for (ViewerModel side : List.of(before, after)) {
      side.crosshairProperty().set(viewer.crosshairProperty().get());
      side.phaseProperty().set(viewer.phaseProperty().get());
      side.windowLevelProperty().set(viewer.windowLevelProperty().get());
      side.crosshairProperty().bindBidirectional(viewer.crosshairProperty());
      side.phaseProperty().bindBidirectional(viewer.phaseProperty());
      side.windowLevelProperty().bindBidirectional(viewer.windowLevelProperty());
    }
    beforeView = new SliceView(before, plane);
    afterView = new SliceView(after, plane);
    GridPane grid = new GridPane();
    grid.setHgap(4);
    grid.setVgap(2);
    grid.addRow(0, new Label("Before"), new Label("After: " + title));
    grid.addRow(1, beforeView, afterView);
    for (SliceView v : List.of(beforeView, afterView)) {
      GridPane.setHgrow(v, Priority.ALWAYS);
      GridPane.setVgrow(v, Priority.ALWAYS);
      v.setPrefSize(480, 480);
    }
    showInViewer.setOnAction(
        e -> {
          stage.close();
          viewer.setSeries(corrected);
        });
    HBox buttons = new HBox(showInViewer);
    buttons.setPadding(new Insets(4));
    BorderPane root = new BorderPane(grid);
    root.setBottom(buttons);
    root.setPadding(new Insets(4));
    stage.initOwner(owner);
    stage.setTitle("Before / after streak reduction");
    stage.setScene(new Scene(root, 1000, 580));
    stage.setOnHidden(
        e -> {
          for (ViewerModel side : List.of(before, after)) {
            side.crosshairProperty().unbindBidirectional(viewer.crosshairProperty());
            side.phaseProperty().unbindBidirectional(viewer.phaseProperty());
            side.windowLevelProperty().unbindBidirectional(viewer.windowLevelProperty());
          }
        });
  }
}
