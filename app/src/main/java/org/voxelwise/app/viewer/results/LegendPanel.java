package org.voxelwise.app.viewer.results;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.paint.Color;
import javafx.scene.shape.Rectangle;
import org.voxelwise.imaging.render.LabelOverlay;
import org.voxelwise.imaging.volume.LabelVolume;
import org.voxelwise.imaging.volume.edit.LabelEditor;

/**
 * The legend of a label overlay: one row per label with its colour swatch, a visibility check box
 * (named after the label), an opacity slider, a fill/outline toggle and its volume in mL. Changes
 * go straight to the {@link LabelOverlay}, then {@code changed} runs (to redraw the views); {@link
 * #updateVolumes()} refreshes the volumes after edits.
 */
final class LegendPanel extends GridPane {
  final Map<Integer, CheckBox> visible = new HashMap<>();
  final Map<Integer, Slider> opacity = new HashMap<>();
  final Map<Integer, ToggleButton> outline = new HashMap<>();
  final Map<Integer, Label> volume = new HashMap<>();
  private final LabelEditor editor;

  LegendPanel(LabelOverlay overlay, LabelEditor editor, Runnable changed) {
    this.editor = editor;
    setHgap(6);
    setVgap(4);
    setPadding(new Insets(4));
    setAlignment(Pos.TOP_LEFT);
    int row = 0;
    for (LabelVolume.Label label : overlay.table()) {
      int v = label.value();
      int rgb = label.rgb();
      Rectangle swatch =
          new Rectangle(14, 14, Color.rgb((rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff));
      swatch.setStroke(Color.GRAY);
      CheckBox show = new CheckBox(label.name());
      show.setSelected(overlay.isVisible(v));
      show.selectedProperty()
          .addListener(
              (o, a, b) -> {
                overlay.setVisible(v, b);
                changed.run();
              });
      Slider alpha = new Slider(0, 1, overlay.opacity(v));
      alpha.setPrefWidth(90);
      alpha.setTooltip(new Tooltip("Opacity of " + label.name()));
      alpha
          .valueProperty()
          .addListener(
              (o, a, b) -> {
                overlay.setOpacity(v, Math.max(0, Math.min(1, b.doubleValue())));
                changed.run();
              });
      ToggleButton line = new ToggleButton("Outline");
      line.setSelected(overlay.style(v) == LabelOverlay.Style.OUTLINE);
      line.selectedProperty()
          .addListener(
              (o, a, b) -> {
                overlay.setStyle(v, b ? LabelOverlay.Style.OUTLINE : LabelOverlay.Style.FILL);
                changed.run();
              });
      Label ml = new Label();
      ml.setMinWidth(70);
      addRow(row++, swatch, show, alpha, line, ml);
      visible.put(v, show);
      opacity.put(v, alpha);
      outline.put(v, line);
      volume.put(v, ml);
    }
    updateVolumes();
  }

  /** Shows each label's volume as the editor counts it now. */
  void updateVolumes() {
    volume.forEach(
        (v, label) -> label.setText(String.format(Locale.ROOT, "%.1f mL", editor.volumeMl(v))));
  }
}
