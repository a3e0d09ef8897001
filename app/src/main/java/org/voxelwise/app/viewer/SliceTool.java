package org.voxelwise.app.viewer;

import javafx.scene.input.MouseEvent;

/**
 * What a primary-button press, drag and release in a {@link SliceView} does (the button's "mode").
 * Other tools (brush, eraser, …) implement this and are installed with {@link
 * ViewerModel#toolProperty()}. Positions are in slice pixel coordinates of the view (u to the
 * right, v down, pixel centres at whole numbers + 0.5 — use {@link SliceView#voxelAt} to turn them
 * into voxels).
 */
public interface SliceTool {
  /** Click to move the crosshair (the other views follow); drag to move it continuously. */
  SliceTool NAVIGATE =
      new SliceTool() {
        @Override
        public void pressed(SliceView view, double u, double v, MouseEvent event) {
          view.moveCrosshairTo(u, v);
        }

        @Override
        public void dragged(SliceView view, double u, double v, MouseEvent event) {
          view.moveCrosshairTo(u, v);
        }
      };

  /** Drag right/left to widen/narrow the window, up/down to lower/raise the level. */
  SliceTool WINDOW_LEVEL = new WindowLevelTool();

  /** Drag to measure a distance in mm (in the slice's plane). */
  SliceTool RULER =
      new SliceTool() {
        @Override
        public void pressed(SliceView view, double u, double v, MouseEvent event) {
          view.setRuler(u, v, u, v);
        }

        @Override
        public void dragged(SliceView view, double u, double v, MouseEvent event) {
          view.extendRuler(u, v);
        }
      };

  default void pressed(SliceView view, double u, double v, MouseEvent event) {}

  default void dragged(SliceView view, double u, double v, MouseEvent event) {}

  default void released(SliceView view, double u, double v, MouseEvent event) {}
}
