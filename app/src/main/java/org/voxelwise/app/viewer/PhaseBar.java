package org.voxelwise.app.viewer;

import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.ToggleButton;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.util.Duration;
import org.voxelwise.imaging.volume.Volume4D;

/**
 * The phase controls of a 4D study: a slider over the phases, a play/pause button for cine playback
 * (looping through the phases) and the frames per second. Shown only while a series with more than
 * one phase is loaded; all views follow {@link ViewerModel#phaseProperty()}.
 */
public final class PhaseBar extends HBox {
  final Slider slider = new Slider(0, 0, 0);
  final ToggleButton play = new ToggleButton("▶ Play");
  final Spinner<Integer> framesPerSecond = new Spinner<>(1, 30, 5);
  private final Label label = new Label();
  private final ViewerModel model;
  private final Timeline cine = new Timeline();

  public PhaseBar(ViewerModel model) {
    super(8);
    this.model = model;
    setAlignment(Pos.CENTER_LEFT);
    setPadding(new Insets(2, 6, 2, 6));
    slider.setBlockIncrement(1);
    slider.setMajorTickUnit(1);
    slider.setMinorTickCount(0);
    slider.setSnapToTicks(true);
    slider.setShowTickMarks(true);
    slider.setFocusTraversable(false);
    HBox.setHgrow(slider, Priority.ALWAYS);
    framesPerSecond.setPrefWidth(70);
    framesPerSecond.setEditable(true);
    slider.valueProperty().addListener((o, a, b) -> model.phaseProperty().set(b.intValue()));
    model
        .phaseProperty()
        .addListener(
            (o, a, b) -> {
              slider.setValue(b.intValue());
              updateLabel();
            });
    model.seriesProperty().addListener((o, a, b) -> seriesChanged());
    play.selectedProperty().addListener((o, a, b) -> setPlaying(b));
    framesPerSecond.valueProperty().addListener((o, a, b) -> restartCine());
    cine.setCycleCount(Timeline.INDEFINITE);
    getChildren()
        .addAll(new Label("Phase"), slider, label, play, framesPerSecond, new Label("frames/s"));
    seriesChanged();
  }

  /** Advances to the next phase (after the last comes the first). */
  public void nextPhase() {
    Volume4D phases = model.phases();
    if (phases != null) {
      model.phaseProperty().set((model.phaseProperty().get() + 1) % phases.phaseCount());
    }
  }

  /** Starts or stops cine playback. */
  public void setPlaying(boolean playing) {
    play.setSelected(playing);
    play.setText(playing ? "⏸ Pause" : "▶ Play");
    if (playing) {
      restartCine();
    } else {
      cine.stop();
    }
  }

  /** Whether cine playback is running. */
  public boolean isPlaying() {
    return play.isSelected();
  }

  private void restartCine() {
    cine.stop();
    cine.getKeyFrames()
        .setAll(new KeyFrame(Duration.seconds(1.0 / framesPerSecond.getValue()), e -> nextPhase()));
    if (play.isSelected()) {
      cine.play();
    }
  }

  private void seriesChanged() {
    Volume4D phases = model.phases();
    int n = phases == null ? 1 : phases.phaseCount();
    setPlaying(false);
    slider.setMax(n - 1);
    slider.setValue(0);
    setVisible(n > 1);
    setManaged(n > 1);
    updateLabel();
  }

  private void updateLabel() {
    Volume4D phases = model.phases();
    if (phases == null) {
      label.setText("");
      return;
    }
    int p = Math.min(model.phaseProperty().get(), phases.phaseCount() - 1);
    String name = phases.phaseLabels().get(p);
    label.setText((p + 1) + "/" + phases.phaseCount() + (name.isBlank() ? "" : " (" + name + ")"));
  }
}
