package org.voxelwise.app.viewer;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.voxelwise.imaging.render.AutoWindow;
import org.voxelwise.imaging.render.Plane;
import org.voxelwise.imaging.render.SlicePlane;
import org.voxelwise.imaging.render.SliceRenderer;
import org.voxelwise.imaging.volume.Volume;

/**
 * The study/series browser: one row per openable series (a 4D study is one row) with a thumbnail of
 * its middle image (rendered in the background with an automatic window), the patient, the study
 * and the series description, modality and number of images. Double-click or Enter opens the
 * selected row.
 */
public final class StudyBrowser extends VBox {
  /** Thumbnail edge in pixels. */
  static final int THUMBNAIL = 64;

  final ListView<StudyCatalog.Entry> list = new ListView<>();
  private final Map<StudyCatalog.Entry, Image> thumbnails = new HashMap<>();
  private final ExecutorService thumbnailWorker =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "voxelwise-thumbnails");
            t.setDaemon(true);
            return t;
          });
  private final Label header = new Label("No study open");

  public StudyBrowser(Consumer<StudyCatalog.Entry> onOpen) {
    super(4);
    setPadding(new Insets(4));
    setPrefWidth(280);
    list.setCellFactory(v -> new EntryCell());
    VBox.setVgrow(list, javafx.scene.layout.Priority.ALWAYS);
    list.setOnMouseClicked(
        e -> {
          if (e.getClickCount() == 2 && list.getSelectionModel().getSelectedItem() != null) {
            onOpen.accept(list.getSelectionModel().getSelectedItem());
          }
        });
    list.setOnKeyPressed(
        e -> {
          if (e.getCode() == KeyCode.ENTER && list.getSelectionModel().getSelectedItem() != null) {
            onOpen.accept(list.getSelectionModel().getSelectedItem());
          }
        });
    getChildren().addAll(header, list);
  }

  /** Shows a scanned study's entries, selects {@code selected}, and starts making thumbnails. */
  public void show(StudyCatalog catalog, StudyCatalog.Entry selected) {
    header.setText(catalog.path().toString());
    list.getItems().setAll(catalog.entries());
    list.getSelectionModel().select(selected);
    for (StudyCatalog.Entry entry : catalog.entries()) {
      if (!thumbnails.containsKey(entry)) {
        thumbnailWorker.submit(() -> makeThumbnail(entry));
      }
    }
  }

  /** The thumbnail of an entry once made (null before, or for entries without one). */
  public Image thumbnail(StudyCatalog.Entry entry) {
    return thumbnails.get(entry);
  }

  /** Makes a thumbnail from an already loaded middle image (saves reading it twice). */
  void putThumbnail(StudyCatalog.Entry entry, Volume middleImage) {
    Image image = render(middleImage);
    thumbnails.put(entry, image);
    list.refresh();
  }

  private void makeThumbnail(StudyCatalog.Entry entry) {
    try {
      Volume middle = StudyCatalog.loadMiddleImage(entry);
      if (middle != null) {
        Image image = render(middle);
        Platform.runLater(
            () -> {
              thumbnails.put(entry, image);
              list.refresh();
            });
      }
    } catch (Exception e) {
      // An entry without a thumbnail still opens; the error shows when it is opened.
    }
  }

  /** The axial middle slice in an automatic window, at its own size (the cell scales it). */
  private static Image render(Volume slice) {
    SlicePlane plane = new SlicePlane(slice.geometry(), Plane.AXIAL);
    int[] argb = new int[plane.width() * plane.height()];
    new SliceRenderer()
        .render(slice, plane, plane.sliceCount() / 2, 0, AutoWindow.of(slice), null, argb);
    WritableImage image = new WritableImage(plane.width(), plane.height());
    image
        .getPixelWriter()
        .setPixels(
            0,
            0,
            plane.width(),
            plane.height(),
            PixelFormat.getIntArgbInstance(),
            argb,
            0,
            plane.width());
    return image;
  }

  private final class EntryCell extends ListCell<StudyCatalog.Entry> {
    private final ImageView view = new ImageView();
    private final Label text = new Label();
    private final HBox box = new HBox(6, view, text);

    EntryCell() {
      view.setFitWidth(THUMBNAIL);
      view.setFitHeight(THUMBNAIL);
      view.setPreserveRatio(true);
      text.setWrapText(true);
    }

    @Override
    protected void updateItem(StudyCatalog.Entry entry, boolean empty) {
      super.updateItem(entry, empty);
      if (empty || entry == null) {
        setGraphic(null);
        return;
      }
      view.setImage(thumbnails.get(entry));
      StringBuilder s = new StringBuilder();
      if (!entry.patient().isBlank()) {
        s.append(entry.patient()).append('\n');
      }
      if (!entry.study().isBlank()) {
        s.append(entry.study()).append('\n');
      }
      s.append(entry.summary());
      text.setText(s.toString());
      setGraphic(box);
    }
  }
}
