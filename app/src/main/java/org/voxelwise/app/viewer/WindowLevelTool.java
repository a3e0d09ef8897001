package org.voxelwise.app.viewer;

import javafx.scene.input.MouseEvent;
import org.voxelwise.imaging.render.WindowLevel;

/**
 * Window/level by dragging: each screen pixel to the right widens the window by 0.5 % (to the left
 * narrows it), each pixel up raises the level by 0.25 % of the width at the press.
 */
final class WindowLevelTool implements SliceTool {
  private double startX;
  private double startY;
  private WindowLevel startWindow;

  @Override
  public void pressed(SliceView view, double u, double v, MouseEvent event) {
    startX = event.getScreenX();
    startY = event.getScreenY();
    startWindow = view.model().windowLevelProperty().get();
  }

  @Override
  public void dragged(SliceView view, double u, double v, MouseEvent event) {
    if (startWindow == null) {
      return;
    }
    double dx = event.getScreenX() - startX;
    double dy = event.getScreenY() - startY;
    double width = Math.max(1, startWindow.width() * Math.exp(dx * 0.005));
    double center = startWindow.center() - dy * 0.0025 * startWindow.width();
    view.model().windowLevelProperty().set(new WindowLevel(center, width));
  }

  @Override
  public void released(SliceView view, double u, double v, MouseEvent event) {
    startWindow = null;
  }
}
