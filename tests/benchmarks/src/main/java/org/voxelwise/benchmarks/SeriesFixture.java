package org.voxelwise.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.voxelwise.imaging.dicom.CtSeriesWriter;
import org.voxelwise.imaging.progress.ProgressListener;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.Volume;

/**
 * Writes the uncompressed CT series the benchmarks read: 512×512 slices of signed 16-bit HU
 * (explicit VR little endian, via {@link CtSeriesWriter}), 0.7 mm pixels, slices 1 mm apart, a
 * water-like ellipse with noise in air. File names are shuffled so that name order says nothing
 * about slice order.
 */
final class SeriesFixture {
  static final int SIZE = 512;

  private SeriesFixture() {}

  /**
   * Writes {@code slices} slices into {@code dir} (created when missing) and returns the files.
   *
   * @throws IOException when a file cannot be written or renamed
   */
  static List<Path> write(Path dir, int slices) throws IOException {
    Geometry g =
        Geometry.axisAligned(
            SIZE, SIZE, slices, new double[] {0.7, 0.7, 1.0}, new double[] {-179, -179, 0});
    short[] hu = new short[SIZE * SIZE * slices];
    Random random = new Random(42);
    short[] plane = new short[SIZE * SIZE];
    for (int y = 0; y < SIZE; y++) {
      for (int x = 0; x < SIZE; x++) {
        double dx = (x - SIZE / 2.0) / 220;
        double dy = (y - SIZE / 2.0) / 160;
        plane[x + SIZE * y] = (short) (dx * dx + dy * dy <= 1 ? 40 : -1000);
      }
    }
    for (int z = 0; z < slices; z++) {
      for (int i = 0; i < plane.length; i++) {
        hu[z * plane.length + i] = (short) (plane[i] + random.nextInt(21) - 10);
      }
    }
    Volume volume = Volume.ofShorts(g, "CT", hu);
    CtSeriesWriter.Options options =
        CtSeriesWriter.Options.builder().seriesDescription("benchmark").build();
    List<Path> written = CtSeriesWriter.write(volume, dir, options, ProgressListener.NONE);
    List<Integer> names = new ArrayList<>();
    for (int i = 0; i < written.size(); i++) {
      names.add(i);
    }
    Collections.shuffle(names, new Random(7));
    List<Path> shuffled = new ArrayList<>();
    for (int i = 0; i < written.size(); i++) {
      Path target = dir.resolve(String.format("x%05d", names.get(i)));
      shuffled.add(Files.move(written.get(i), target));
    }
    return shuffled;
  }

  /** Deletes the files and then the folder. */
  static void delete(Path dir, List<Path> files) throws IOException {
    for (Path f : files) {
      Files.deleteIfExists(f);
    }
    Files.deleteIfExists(dir);
  }
}
