package org.voxelwise.app.viewer.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.LabelVolume;

class ResultExportsTest {
  @TempDir Path dir;

  @Test
  void csvListsEveryLabelWithVoxelsAndMillilitres() throws IOException {
    Geometry g = Geometry.axisAligned(10, 10, 4, new double[] {0.5, 0.5, 2}, new double[3]);
    byte[] values = new byte[400];
    for (int i = 0; i < 120; i++) {
      values[i] = 1;
    }
    values[399] = 3;
    List<LabelVolume.Label> table =
        List.of(
            new LabelVolume.Label(1, "liver", 0xff0000, null),
            new LabelVolume.Label(2, "tumor", 0x00ff00, null),
            new LabelVolume.Label(3, "vessel, portal", 0x0000ff, null));
    Path csv = dir.resolve("volumes.csv");
    Files.writeString(csv, "old");

    ResultExports.writeVolumesCsv(new LabelVolume(g, values, table), csv);

    assertEquals(
        "value,name,voxels,volumeMl\n"
            + "1,liver,120,0.060\n"
            + "2,tumor,0,0.000\n"
            + "3,\"vessel, portal\",1,0.001\n",
        Files.readString(csv, StandardCharsets.UTF_8));
    assertEquals(List.of(csv), listing());
  }

  @Test
  void pngHasTheViewsSizeAndPixelsAndStretchesRowsByTheAspect() throws IOException {
    int[] argb = {0xff102030, 0xffffffff, 0xff000000, 0xffff8000, 0xff00ff00, 0xff0000ff};
    Path png = dir.resolve("view.png");
    ResultExports.writePng(argb, 3, 2, 1, png);
    BufferedImage image = ImageIO.read(png.toFile());
    assertEquals(3, image.getWidth());
    assertEquals(2, image.getHeight());
    for (int i = 0; i < 6; i++) {
      assertEquals(argb[i], image.getRGB(i % 3, i / 3), "pixel " + i);
    }

    ResultExports.writePng(argb, 3, 2, 2.5, png);
    image = ImageIO.read(png.toFile());
    assertEquals(5, image.getHeight(), "2 rows of pixels 2.5 times taller than wide");
    int[] sourceRows = {0, 0, 1, 1, 1}; // nearest by row centre; row 2 is on the boundary
    for (int r = 0; r < 5; r++) {
      assertEquals(argb[sourceRows[r] * 3 + 2], image.getRGB(2, r), "row " + r);
    }
    assertEquals(List.of(png), listing());
  }

  @Test
  void aFailedWriteLeavesNothingBehind() throws IOException {
    Path missing = dir.resolve("no such folder").resolve("view.png");
    assertThrows(IOException.class, () -> ResultExports.writePng(new int[4], 2, 2, 1, missing));
    assertThrows(
        IllegalArgumentException.class,
        () -> ResultExports.writePng(new int[3], 2, 2, 1, dir.resolve("a.png")));
    assertEquals(List.of(), listing());
  }

  private List<Path> listing() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().toList();
    }
  }
}
