package org.voxelwise.app.viewer.results;

import javafx.scene.input.MouseEvent;
import org.voxelwise.app.viewer.SliceTool;
import org.voxelwise.app.viewer.SliceView;
import org.voxelwise.imaging.render.SlicePlane;
import org.voxelwise.imaging.volume.edit.LabelEditor;

/**
 * The brush or the eraser as a {@link SliceTool}: a press starts a stroke of the results' current
 * label, each drag lays dabs (discs of the current radius in the view's plane, {@link LabelEditor})
 * along the path at most half a radius apart so that a fast drag leaves no gaps, and the release
 * ends the stroke (one undo step).
 */
final class BrushTool implements SliceTool {
  private final ResultsController results;
  private final LabelEditor.Tool tool;
  private double lastU;
  private double lastV;

  BrushTool(ResultsController results, LabelEditor.Tool tool) {
    this.results = results;
    this.tool = tool;
  }

  LabelEditor.Tool tool() {
    return tool;
  }

  @Override
  public void pressed(SliceView view, double u, double v, MouseEvent event) {
    LabelEditor editor = results.editor();
    if (editor == null || editor.inStroke() || results.currentLabel() == 0) {
      return;
    }
    editor.beginStroke(tool, results.currentLabel());
    dab(view, editor, u, v);
    lastU = u;
    lastV = v;
    results.labelsEdited(false);
  }

  @Override
  public void dragged(SliceView view, double u, double v, MouseEvent event) {
    LabelEditor editor = results.editor();
    if (editor == null || !editor.inStroke()) {
      return;
    }
    SlicePlane plane = view.slicePlane();
    double radius = results.brushRadiusMm();
    double distanceMm =
        Math.hypot((u - lastU) * plane.pixelWidthMm(), (v - lastV) * plane.pixelHeightMm());
    double stepMm = Math.max(radius / 2, Math.min(plane.pixelWidthMm(), plane.pixelHeightMm()) / 2);
    int steps = (int) Math.ceil(distanceMm / stepMm);
    for (int k = 1; k <= steps; k++) {
      dab(view, editor, lastU + (u - lastU) * k / steps, lastV + (v - lastV) * k / steps);
    }
    lastU = u;
    lastV = v;
    results.labelsEdited(false);
  }

  @Override
  public void released(SliceView view, double u, double v, MouseEvent event) {
    LabelEditor editor = results.editor();
    if (editor == null || !editor.inStroke()) {
      return;
    }
    dragged(view, u, v, event);
    editor.endStroke();
    results.labelsEdited(true);
  }

  private void dab(SliceView view, LabelEditor editor, double u, double v) {
    int[] voxel = view.voxelAt(u, v);
    if (voxel != null) {
      editor.dab(
          voxel[0],
          voxel[1],
          voxel[2],
          view.slicePlane().normalVoxelAxis(),
          results.brushRadiusMm());
    }
  }
}
