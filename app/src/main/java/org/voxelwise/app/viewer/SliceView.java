package org.voxelwise.app.viewer;

import java.util.Locale;
import java.util.OptionalDouble;
import javafx.geometry.Orientation;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Slider;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.shape.Rectangle;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;
import org.voxelwise.imaging.render.Plane;
import org.voxelwise.imaging.render.SliceOverlay;
import org.voxelwise.imaging.render.SlicePlane;
import org.voxelwise.imaging.render.SliceRenderer;
import org.voxelwise.imaging.render.WindowLevel;
import org.voxelwise.imaging.volume.Volume;

/**
 * One view of a {@link ViewerModel} in one {@link Plane}: the slice through the model's crosshair,
 * drawn with the pixel aspect of the voxel spacing, the crosshair lines, orientation letters at the
 * edges, the slice index and position, the window, and a ruler. A vertical slider on its right
 * selects the slice.
 *
 * <p>Mouse: the wheel scrolls slices (with Ctrl it zooms); the primary button runs the model's
 * {@link SliceTool}; the right button dragged up/down zooms; the middle button, or Shift with the
 * primary button, pans. The grey image is rendered into an ARGB buffer by {@link SliceRenderer},
 * which then calls the view's {@link SliceOverlay} (if set) — the hook for label overlays.
 */
public final class SliceView extends Region {
  private static final double SLIDER_WIDTH = 18;
  private static final Font TEXT_FONT = Font.font("SansSerif", 12);
  private static final Font LETTER_FONT = Font.font("SansSerif", 15);

  private final ViewerModel model;
  private final Plane plane;
  private final ImageView imageView = new ImageView();
  private final Canvas canvas = new Canvas();
  private final Rectangle clip = new Rectangle();
  private final Slider slider = new Slider(0, 0, 0);
  private final SliceRenderer renderer = new SliceRenderer();

  private SlicePlane slicePlane;
  private WritableImage image;
  private int[] argb = new int[0];
  private SliceOverlay overlay;
  private double zoom = 1;
  private double panX;
  private double panY;
  private double[] ruler;
  private int rulerSlice = -1;
  private long renderCount;
  private boolean updatingSlider;

  private double dragStartX;
  private double dragStartY;
  private MouseButton dragButton;
  private boolean panning;

  public SliceView(ViewerModel model, Plane plane) {
    this.model = model;
    this.plane = plane;
    getStyleClass().add("slice-view");
    setStyle("-fx-background-color: black;");
    setMinSize(60, 60);
    slider.setOrientation(Orientation.VERTICAL);
    slider.setFocusTraversable(false);
    slider.setDisable(true);
    slider
        .valueProperty()
        .addListener(
            (o, a, b) -> {
              if (!updatingSlider) {
                setSlice((int) Math.round(b.doubleValue()));
              }
            });
    imageView.setSmooth(false);
    imageView.setMouseTransparent(true);
    setClip(clip);
    getChildren().addAll(imageView, canvas, slider);
    model.seriesProperty().addListener((o, a, b) -> seriesChanged());
    model.phaseProperty().addListener((o, a, b) -> refresh());
    model.windowLevelProperty().addListener((o, a, b) -> refresh());
    model
        .crosshairProperty()
        .addListener(
            (o, a, b) -> {
              if (a == null
                  || slicePlane == null
                  || slicePlane.sliceOf(a) != slicePlane.sliceOf(b)) {
                refresh();
              } else {
                redraw();
              }
            });
    canvas.setOnScroll(this::scrolled);
    canvas.setOnMousePressed(this::pressed);
    canvas.setOnMouseDragged(this::dragged);
    canvas.setOnMouseReleased(this::released);
    canvas.setOnMouseMoved(e -> model.hoverProperty().set(voxelUnder(e.getX(), e.getY())));
    canvas.setOnMouseExited(e -> model.hoverProperty().set(null));
    seriesChanged();
  }

  public Plane plane() {
    return plane;
  }

  public ViewerModel model() {
    return model;
  }

  /** How this view's slices are cut from the grid shown, or null when nothing is loaded. */
  public SlicePlane slicePlane() {
    return slicePlane;
  }

  /** The slice shown (its index along the plane's normal), 0 when nothing is loaded. */
  public int slice() {
    return slicePlane == null ? 0 : slicePlane.sliceOf(model.crosshairProperty().get());
  }

  /** Number of slices in this plane, 0 when nothing is loaded. */
  public int sliceCount() {
    return slicePlane == null ? 0 : slicePlane.sliceCount();
  }

  /** Shows slice {@code slice} (clamped) by moving the crosshair along this plane's normal. */
  public void setSlice(int slice) {
    if (slicePlane == null) {
      return;
    }
    int[] voxel = model.crosshairProperty().get().clone();
    voxel[slicePlane.normalVoxelAxis()] = slice;
    model.moveCrosshair(voxel);
  }

  /** Moves {@code delta} slices (positive: towards higher indices). */
  public void scrollBy(int delta) {
    setSlice(slice() + delta);
  }

  /**
   * The layer drawn over the grey image of this view (null for none); redraws. See {@link
   * SliceOverlay} for what it may do.
   */
  public void setOverlay(SliceOverlay overlay) {
    this.overlay = overlay;
    refresh();
  }

  /** Zoom factor over the size that fits the view (1 = fit). */
  public double zoom() {
    return zoom;
  }

  /** Sets the zoom (clamped to 0.1–40) about the view's centre. */
  public void setZoom(double factor) {
    zoom = Math.max(0.1, Math.min(40, factor));
    redraw();
  }

  /** Back to the whole slice fitted into the view, centred. */
  public void resetView() {
    zoom = 1;
    panX = 0;
    panY = 0;
    redraw();
  }

  /** A copy of the pixels rendered last (grey image plus overlay), width·height, row by row. */
  public int[] renderedPixels() {
    int n = slicePlane == null ? 0 : slicePlane.width() * slicePlane.height();
    return java.util.Arrays.copyOf(argb, n);
  }

  /** How many times the slice image has been rendered (for frame counting). */
  public long renderCount() {
    return renderCount;
  }

  /** Re-renders the slice (e.g. after an overlay's data changed) and redraws the view. */
  public void refresh() {
    Volume volume = model.volume();
    if (volume == null
        || slicePlane == null
        || !slicePlane.geometry().equals(volume.geometry())
        || slice() >= slicePlane.sliceCount()) {
      // Nothing loaded, or a new series is being set up (its crosshair comes before its grid).
      redraw();
      return;
    }
    int w = slicePlane.width();
    int h = slicePlane.height();
    WindowLevel window = model.windowLevelProperty().get();
    renderer.render(
        volume, slicePlane, slice(), model.phaseProperty().get(), window, overlay, argb);
    // The pixels are opaque (SliceOverlay's contract), so they are already premultiplied and the
    // upload needs no conversion.
    image.getPixelWriter().setPixels(0, 0, w, h, PixelFormat.getIntArgbPreInstance(), argb, 0, w);
    renderCount++;
    updatingSlider = true;
    slider.setValue(slice());
    updatingSlider = false;
    redraw();
  }

  private void seriesChanged() {
    Volume volume = model.volume();
    ruler = null;
    if (volume == null) {
      slicePlane = null;
      image = null;
      slider.setDisable(true);
      redraw();
      return;
    }
    slicePlane = new SlicePlane(volume.geometry(), plane);
    int w = slicePlane.width();
    int h = slicePlane.height();
    if (image == null || image.getWidth() != w || image.getHeight() != h) {
      image = new WritableImage(w, h);
      argb = new int[w * h];
    }
    updatingSlider = true;
    slider.setMax(Math.max(0, slicePlane.sliceCount() - 1));
    slider.setBlockIncrement(1);
    slider.setDisable(slicePlane.sliceCount() < 2);
    updatingSlider = false;
    resetView();
    refresh();
  }

  /** A fixed preferred size, so that views side by side share the space equally. */
  @Override
  protected double computePrefWidth(double height) {
    return 300;
  }

  @Override
  protected double computePrefHeight(double width) {
    return 300;
  }

  @Override
  protected void layoutChildren() {
    double w = getWidth();
    double h = getHeight();
    slider.resizeRelocate(w - SLIDER_WIDTH, 0, SLIDER_WIDTH, h);
    clip.setWidth(w);
    clip.setHeight(h);
    canvas.setWidth(Math.max(0, w - SLIDER_WIDTH));
    canvas.setHeight(h);
    redraw();
  }

  // ---- geometry of the drawing: screen = origin + pixel · (pixel size in mm · px per mm)

  private double pxPerMm() {
    double fitW = canvas.getWidth() / (slicePlane.width() * slicePlane.pixelWidthMm());
    double fitH = canvas.getHeight() / (slicePlane.height() * slicePlane.pixelHeightMm());
    return Math.min(fitW, fitH) * zoom;
  }

  private double originX() {
    double drawn = slicePlane.width() * slicePlane.pixelWidthMm() * pxPerMm();
    return (canvas.getWidth() - drawn) / 2 + panX;
  }

  private double originY() {
    double drawn = slicePlane.height() * slicePlane.pixelHeightMm() * pxPerMm();
    return (canvas.getHeight() - drawn) / 2 + panY;
  }

  /** The canvas the mouse acts on (its coordinates are those of {@link #screenX}, for tests). */
  Canvas canvas() {
    return canvas;
  }

  /** Screen x (in this view's canvas) of slice pixel coordinate u. */
  double screenX(double u) {
    return originX() + u * slicePlane.pixelWidthMm() * pxPerMm();
  }

  /** Screen y (in this view's canvas) of slice pixel coordinate v. */
  double screenY(double v) {
    return originY() + v * slicePlane.pixelHeightMm() * pxPerMm();
  }

  /** Slice pixel coordinate u of a canvas x. */
  double pixelU(double x) {
    return (x - originX()) / (slicePlane.pixelWidthMm() * pxPerMm());
  }

  /** Slice pixel coordinate v of a canvas y. */
  double pixelV(double y) {
    return (y - originY()) / (slicePlane.pixelHeightMm() * pxPerMm());
  }

  /** The voxel at slice pixel coordinates (u, v) of the current slice, or null outside. */
  public int[] voxelAt(double u, double v) {
    if (slicePlane == null) {
      return null;
    }
    int iu = (int) Math.floor(u);
    int iv = (int) Math.floor(v);
    if (iu < 0 || iv < 0 || iu >= slicePlane.width() || iv >= slicePlane.height()) {
      return null;
    }
    return slicePlane.voxelAt(iu, iv, slice());
  }

  /** The voxel under canvas point (x, y), or null outside the image. */
  public int[] voxelUnder(double x, double y) {
    return slicePlane == null ? null : voxelAt(pixelU(x), pixelV(y));
  }

  /** The canvas point at the centre of a voxel's pixel in this view (any slice). */
  public double[] canvasPointOf(int[] voxel) {
    double[] p = slicePlane.pixelOf(new double[] {voxel[0], voxel[1], voxel[2]});
    return new double[] {screenX(p[0] + 0.5), screenY(p[1] + 0.5)};
  }

  /** Moves the crosshair to the voxel at slice pixel coordinates (u, v) of this view. */
  void moveCrosshairTo(double u, double v) {
    int[] voxel = voxelAt(u, v);
    if (voxel != null) {
      model.moveCrosshair(voxel);
    }
  }

  /** Starts a ruler on the current slice from (u1, v1) to (u2, v2), in slice pixel coordinates. */
  public void setRuler(double u1, double v1, double u2, double v2) {
    ruler = new double[] {u1, v1, u2, v2};
    rulerSlice = slice();
    redraw();
  }

  void extendRuler(double u, double v) {
    if (ruler != null) {
      ruler[2] = u;
      ruler[3] = v;
      redraw();
    }
  }

  /** The length of the ruler in mm (in the plane, from the pixel spacing), if one is drawn. */
  public OptionalDouble rulerLengthMm() {
    if (ruler == null || slicePlane == null) {
      return OptionalDouble.empty();
    }
    double du = (ruler[2] - ruler[0]) * slicePlane.pixelWidthMm();
    double dv = (ruler[3] - ruler[1]) * slicePlane.pixelHeightMm();
    return OptionalDouble.of(Math.hypot(du, dv));
  }

  // ---- mouse

  private void scrolled(ScrollEvent e) {
    if (slicePlane == null || e.getDeltaY() == 0) {
      return;
    }
    if (e.isControlDown()) {
      zoomAbout(e.getX(), e.getY(), Math.pow(1.1, Math.signum(e.getDeltaY())));
    } else {
      scrollBy((int) Math.signum(e.getDeltaY()));
    }
    e.consume();
  }

  private void zoomAbout(double x, double y, double factor) {
    double u = pixelU(x);
    double v = pixelV(y);
    zoom = Math.max(0.1, Math.min(40, zoom * factor));
    // Keep the pixel under (x, y) where it was.
    panX += x - screenX(u);
    panY += y - screenY(v);
    redraw();
  }

  private void pressed(MouseEvent e) {
    requestFocus();
    if (slicePlane == null) {
      return;
    }
    dragStartX = e.getX();
    dragStartY = e.getY();
    dragButton = e.getButton();
    panning =
        e.getButton() == MouseButton.MIDDLE
            || (e.getButton() == MouseButton.PRIMARY && e.isShiftDown());
    if (e.getButton() == MouseButton.PRIMARY && !panning) {
      model.toolProperty().get().pressed(this, pixelU(e.getX()), pixelV(e.getY()), e);
    }
  }

  private void dragged(MouseEvent e) {
    if (slicePlane == null) {
      return;
    }
    double dx = e.getX() - dragStartX;
    double dy = e.getY() - dragStartY;
    if (panning) {
      panX += dx;
      panY += dy;
      redraw();
    } else if (dragButton == MouseButton.SECONDARY) {
      zoomAbout(canvas.getWidth() / 2, canvas.getHeight() / 2, Math.exp(-dy * 0.01));
    } else if (dragButton == MouseButton.PRIMARY) {
      model.toolProperty().get().dragged(this, pixelU(e.getX()), pixelV(e.getY()), e);
    }
    dragStartX = e.getX();
    dragStartY = e.getY();
    model.hoverProperty().set(voxelUnder(e.getX(), e.getY()));
  }

  private void released(MouseEvent e) {
    if (slicePlane != null && dragButton == MouseButton.PRIMARY && !panning) {
      model.toolProperty().get().released(this, pixelU(e.getX()), pixelV(e.getY()), e);
    }
    dragButton = null;
    panning = false;
  }

  // ---- drawing

  /**
   * Places the image (an ImageView: cheaper than drawing it into the canvas on software pipelines)
   * and redraws the transparent canvas above it: crosshair, ruler, letters and captions.
   */
  private void redraw() {
    GraphicsContext gc = canvas.getGraphicsContext2D();
    double w = canvas.getWidth();
    double h = canvas.getHeight();
    gc.clearRect(0, 0, w, h);
    if (slicePlane == null || image == null || w <= 0 || h <= 0) {
      imageView.setImage(null);
      return;
    }
    double x0 = screenX(0);
    double y0 = screenY(0);
    double dw = screenX(slicePlane.width()) - x0;
    double dh = screenY(slicePlane.height()) - y0;
    imageView.setImage(image);
    imageView.setLayoutX(x0);
    imageView.setLayoutY(y0);
    imageView.setFitWidth(dw);
    imageView.setFitHeight(dh);
    drawCrosshair(gc, x0, y0, dw, dh);
    drawRuler(gc);
    drawText(gc, w, h);
  }

  private void drawCrosshair(GraphicsContext gc, double x0, double y0, double dw, double dh) {
    double[] c = canvasPointOf(model.crosshairProperty().get());
    gc.setStroke(Color.rgb(255, 210, 0, 0.6));
    gc.setLineWidth(1);
    gc.strokeLine(c[0], y0, c[0], y0 + dh);
    gc.strokeLine(x0, c[1], x0 + dw, c[1]);
  }

  private void drawRuler(GraphicsContext gc) {
    if (ruler == null || rulerSlice != slice()) {
      return;
    }
    double x1 = screenX(ruler[0]);
    double y1 = screenY(ruler[1]);
    double x2 = screenX(ruler[2]);
    double y2 = screenY(ruler[3]);
    gc.setStroke(Color.rgb(80, 220, 255));
    gc.setLineWidth(1.5);
    gc.strokeLine(x1, y1, x2, y2);
    gc.strokeOval(x1 - 3, y1 - 3, 6, 6);
    gc.strokeOval(x2 - 3, y2 - 3, 6, 6);
    gc.setFill(Color.rgb(80, 220, 255));
    gc.setFont(TEXT_FONT);
    gc.setTextAlign(TextAlignment.LEFT);
    gc.setTextBaseline(VPos.BOTTOM);
    gc.fillText(String.format(Locale.ROOT, "%.1f mm", rulerLengthMm().orElse(0)), x2 + 6, y2 - 4);
  }

  private void drawText(GraphicsContext gc, double w, double h) {
    String[] letters = slicePlane.edgeLetters();
    gc.setFill(Color.rgb(255, 170, 60));
    gc.setFont(LETTER_FONT);
    gc.setTextBaseline(VPos.CENTER);
    gc.setTextAlign(TextAlignment.LEFT);
    gc.fillText(letters[0], 4, h / 2);
    gc.setTextAlign(TextAlignment.RIGHT);
    gc.fillText(letters[1], w - 4, h / 2);
    gc.setTextAlign(TextAlignment.CENTER);
    gc.setTextBaseline(VPos.TOP);
    gc.fillText(letters[2], w / 2, 24); // below the caption line
    gc.setTextBaseline(VPos.BOTTOM);
    gc.fillText(letters[3], w / 2, h - 4);

    gc.setFill(Color.rgb(230, 230, 230));
    gc.setFont(TEXT_FONT);
    gc.setTextAlign(TextAlignment.LEFT);
    gc.setTextBaseline(VPos.TOP);
    gc.fillText(sliceCaption(), 6, 6);
    gc.setTextBaseline(VPos.BOTTOM);
    WindowLevel window = model.windowLevelProperty().get();
    gc.fillText(
        String.format(Locale.ROOT, "W %.0f  L %.0f", window.width(), window.center()), 6, h - 6);
  }

  /** The caption in the top-left corner: plane, slice index of count, position in mm, phase. */
  public String sliceCaption() {
    if (slicePlane == null) {
      return "";
    }
    String axis =
        switch (plane) {
          case AXIAL -> "z";
          case CORONAL -> "y";
          case SAGITTAL -> "x";
        };
    String caption =
        String.format(
            Locale.ROOT,
            "%s  %d/%d  %s = %.1f mm",
            plane.name().charAt(0) + plane.name().substring(1).toLowerCase(Locale.ROOT),
            slice() + 1,
            sliceCount(),
            axis,
            slicePlane.slicePositionMm(slice()));
    int phases = model.phases().phaseCount();
    if (phases > 1) {
      caption +=
          String.format(Locale.ROOT, "  phase %d/%d", model.phaseProperty().get() + 1, phases);
    }
    return caption;
  }
}
