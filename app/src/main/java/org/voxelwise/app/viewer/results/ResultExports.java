package org.voxelwise.app.viewer.results;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import javax.imageio.ImageIO;
import org.voxelwise.imaging.volume.LabelVolume;

/**
 * What the viewer's File ▸ Export writes besides the labels themselves (which {@link
 * org.voxelwise.imaging.nifti.NiftiWriter} writes): a CSV of label volumes and the view as a PNG.
 * Every file is written to a temporary file beside the target and then moved into place, so a
 * reader never sees a half-written file and a failed export leaves any earlier file as it was.
 */
public final class ResultExports {
  /** The header line of {@link #writeVolumesCsv}. */
  public static final String CSV_HEADER = "value,name,voxels,volumeMl";

  private ResultExports() {}

  /**
   * Writes one line per label of the table, in table order, after {@link #CSV_HEADER}: the value,
   * the name (quoted when it holds a comma, quote or line break), the voxel count and the volume in
   * mL (3 decimals, a dot as decimal separator). UTF-8, lines end with "\n".
   */
  public static void writeVolumesCsv(LabelVolume labels, Path file) throws IOException {
    StringBuilder csv = new StringBuilder(CSV_HEADER).append('\n');
    for (LabelVolume.Label label : labels.table()) {
      csv.append(label.value())
          .append(',')
          .append(csvField(label.name()))
          .append(',')
          .append(labels.count(label.value()))
          .append(',')
          .append(String.format(Locale.ROOT, "%.3f", labels.volumeMl(label.value())))
          .append('\n');
    }
    writeAtomically(
        file,
        out -> {
          Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
          w.write(csv.toString());
          w.flush();
        });
  }

  private static String csvField(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }

  /**
   * Writes ARGB pixels (row by row) as an opaque RGB PNG. Each row is repeated so that the image
   * shows the pixels with their true aspect: {@code round(height · aspect)} rows (nearest row), and
   * {@code width} columns.
   *
   * @param aspect how many times taller than wide a pixel is (e.g. the slice spacing over the pixel
   *     spacing in a coronal view), &gt; 0
   * @throws IllegalArgumentException when {@code argb} holds fewer than width·height pixels or the
   *     aspect is not &gt; 0
   */
  public static void writePng(int[] argb, int width, int height, double aspect, Path file)
      throws IOException {
    if (width < 1 || height < 1 || argb.length < width * height) {
      throw new IllegalArgumentException(
          argb.length + " pixels cannot hold a " + width + "×" + height + " image");
    }
    if (!(aspect > 0) || Double.isInfinite(aspect)) {
      throw new IllegalArgumentException("aspect must be > 0: " + aspect);
    }
    int rows = Math.max(1, (int) Math.round(height * aspect));
    BufferedImage image = new BufferedImage(width, rows, BufferedImage.TYPE_INT_RGB);
    for (int r = 0; r < rows; r++) {
      int source = Math.min(height - 1, (int) ((r + 0.5) * height / rows));
      image.setRGB(0, r, width, 1, argb, source * width, width);
    }
    writeAtomically(
        file,
        out -> {
          if (!ImageIO.write(image, "png", out)) {
            throw new IOException("no PNG writer in this Java runtime");
          }
        });
  }

  /** Writes the content of one file. */
  private interface Content {
    void write(OutputStream out) throws IOException;
  }

  private static void writeAtomically(Path file, Content content) throws IOException {
    Path target = file.toAbsolutePath();
    String suffix = Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
    Path tmp = target.resolveSibling("." + target.getFileName() + "." + suffix + ".tmp");
    try {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        content.write(out);
      }
      try {
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
