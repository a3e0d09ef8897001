package org.voxelwise.app.viewer;

import java.util.Arrays;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import org.voxelwise.imaging.dicom.LoadedSeries;
import org.voxelwise.imaging.render.WindowLevel;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.Volume;
import org.voxelwise.imaging.volume.Volume4D;

/**
 * What the viewer shows, as JavaFX properties that every view follows (use on the FX thread): the
 * loaded series, the phase, the window, the crosshair (the voxel all views cross at; each view
 * shows the slice through it), the voxel under the mouse and the mouse tool.
 *
 * <p>This is the viewer's extension point for other panels (overlays, model runs, exports): read
 * {@link #series()} and {@link #volume()}, listen to {@link #crosshairProperty()} and {@link
 * #phaseProperty()}, and install a {@link SliceTool} through {@link #toolProperty()}.
 */
public final class ViewerModel {
  private final ReadOnlyObjectWrapper<LoadedSeries> series = new ReadOnlyObjectWrapper<>();
  private final IntegerProperty phase = new SimpleIntegerProperty(0);
  private final ObjectProperty<WindowLevel> windowLevel =
      new SimpleObjectProperty<>(WindowLevel.ABDOMEN);
  private final ObjectProperty<int[]> crosshair = new SimpleObjectProperty<>(new int[3]);
  private final ObjectProperty<int[]> hover = new SimpleObjectProperty<>();
  private final ObjectProperty<SliceTool> tool = new SimpleObjectProperty<>(SliceTool.NAVIGATE);

  /**
   * Shows a series: the first phase, the crosshair at the centre of the grid. Null clears the
   * views.
   */
  public void setSeries(LoadedSeries loaded) {
    hover.set(null);
    if (loaded != null) {
      Geometry g = loaded.phases().geometry();
      crosshair.set(new int[] {g.sizeX() / 2, g.sizeY() / 2, g.sizeZ() / 2});
    }
    phase.set(0);
    series.set(loaded);
  }

  /** The series shown, or null before the first one is loaded. */
  public LoadedSeries series() {
    return series.get();
  }

  public ReadOnlyObjectProperty<LoadedSeries> seriesProperty() {
    return series.getReadOnlyProperty();
  }

  /** All phases of the series shown (one for a 3D series), or null. */
  public Volume4D phases() {
    return series.get() == null ? null : series.get().phases();
  }

  /** The volume of the current phase, or null. */
  public Volume volume() {
    Volume4D p = phases();
    return p == null ? null : p.phases().get(Math.min(phase.get(), p.phaseCount() - 1));
  }

  /** The phase shown, 0-based (always 0 for a 3D series). */
  public IntegerProperty phaseProperty() {
    return phase;
  }

  public ObjectProperty<WindowLevel> windowLevelProperty() {
    return windowLevel;
  }

  /**
   * The voxel index (i, j, k) all views cross at. Set a new array to move it (arrays are never
   * changed in place).
   */
  public ObjectProperty<int[]> crosshairProperty() {
    return crosshair;
  }

  /** Moves the crosshair to a voxel, clamped into the grid. */
  public void moveCrosshair(int[] voxel) {
    Volume4D p = phases();
    if (p == null) {
      return;
    }
    Geometry g = p.geometry();
    int[] sizes = {g.sizeX(), g.sizeY(), g.sizeZ()};
    int[] clamped = new int[3];
    for (int a = 0; a < 3; a++) {
      clamped[a] = Math.max(0, Math.min(sizes[a] - 1, voxel[a]));
    }
    if (!Arrays.equals(clamped, crosshair.get())) {
      crosshair.set(clamped);
    }
  }

  /** The voxel under the mouse pointer, or null when it is outside the image. */
  public ObjectProperty<int[]> hoverProperty() {
    return hover;
  }

  /** What a primary-button drag in a view does. */
  public ObjectProperty<SliceTool> toolProperty() {
    return tool;
  }
}
