package org.voxelwise.app.viewer.results;

import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.concurrent.Task;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import org.voxelwise.app.viewer.ProgressTask;
import org.voxelwise.imaging.progress.ProgressListener;

/**
 * Runs one model at a time in the background (a {@link Task} on a daemon thread) and shows it: a
 * progress bar, what is being done, the estimated time left ({@link TimeEstimate}), the device it
 * runs on, and a Cancel button. Cancelling asks the work to stop through {@link
 * ProgressListener#isCancelled()}; its result, if any, is then dropped. {@link #busyProperty()}
 * stays true until the background thread has really returned, so a second run cannot overlap it.
 * Use on the FX thread.
 */
public final class ModelRunner extends HBox {
  /** Work to run in the background. */
  public interface Work<T> {
    /**
     * @param progress report progress here, and stop (throw) when it says it is cancelled
     * @param deviceShown call with the device the model runs on once known ("cpu", "gpu")
     */
    T run(ProgressListener progress, Consumer<String> deviceShown) throws Exception;
  }

  final ProgressBar progress = new ProgressBar(0);
  final Label message = new Label();
  final Label timeLeft = new Label();
  final Label device = new Label();
  final Button cancel = new Button("Cancel");
  private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(false);
  private Task<?> task;

  public ModelRunner() {
    super(8);
    setAlignment(Pos.CENTER_LEFT);
    setPadding(new Insets(2, 4, 2, 4));
    progress.setPrefWidth(160);
    HBox.setHgrow(message, Priority.ALWAYS);
    message.setMaxWidth(Double.MAX_VALUE);
    cancel.setOnAction(e -> cancel());
    cancel.disableProperty().bind(busy.not());
    getChildren().addAll(progress, message, timeLeft, device, cancel);
    setVisible(false);
    managedProperty().bind(visibleProperty());
  }

  /** True from {@link #run} until its background thread has returned. */
  public ReadOnlyBooleanProperty busyProperty() {
    return busy.getReadOnlyProperty();
  }

  /**
   * Starts {@code work} in the background.
   *
   * @param title what runs, shown until the work reports progress
   * @param done called on the FX thread with the result when the work succeeded (not cancelled)
   * @param failed called on the FX thread with the error when the work failed
   * @throws IllegalStateException when a run is still going on
   */
  public <T> void run(String title, Work<T> work, Consumer<T> done, Consumer<Throwable> failed) {
    if (busy.get()) {
      throw new IllegalStateException("a model is already running");
    }
    Task<T> t =
        new ProgressTask<>() {
          @Override
          protected T run(ProgressListener progress) throws Exception {
            try {
              return work.run(
                  progress, name -> Platform.runLater(() -> device.setText("on " + name)));
            } finally {
              Platform.runLater(() -> busy.set(false));
            }
          }
        };
    task = t;
    busy.set(true);
    setVisible(true);
    device.setText("");
    timeLeft.setText("");
    message.textProperty().unbind();
    message.setText(title);
    progress.progressProperty().bind(t.progressProperty());
    TimeEstimate estimate = new TimeEstimate();
    t.progressProperty()
        .addListener(
            (o, a, b) -> {
              if (!t.isDone()) {
                timeLeft.setText(
                    estimate
                        .update(b.doubleValue(), System.nanoTime())
                        .map(d -> TimeEstimate.describe(d) + " left")
                        .orElse(""));
              }
            });
    t.messageProperty()
        .addListener(
            (o, a, b) -> {
              if (!t.isDone()) {
                message.setText(b);
              }
            });
    t.setOnSucceeded(
        e -> {
          finish("Done: " + title);
          done.accept(t.getValue());
        });
    t.setOnFailed(
        e -> {
          finish("Failed: " + title);
          failed.accept(t.getException());
        });
    t.setOnCancelled(e -> finish("Cancelled: " + title));
    Thread worker = new Thread(t, "voxelwise-model");
    worker.setDaemon(true);
    worker.start();
  }

  private void finish(String text) {
    progress.progressProperty().unbind();
    progress.setProgress(0);
    timeLeft.setText("");
    message.setText(text);
  }

  /** Asks the running work to stop (it stops at its next progress check). */
  public void cancel() {
    if (task != null && !task.isDone()) {
      task.cancel(false);
    }
  }
}
