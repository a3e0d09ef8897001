package org.voxelwise.imaging.nifti;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.LabelVolume;
import org.voxelwise.imaging.volume.LabelVolume.Label;
import org.voxelwise.imaging.volume.Volume;

/** Label volumes written as uint8 NIfTI read back exactly, by us and by nibabel. */
class NiftiLabelsTest {
  private static final String CHECK =
      """
      import sys, hashlib, numpy as np, nibabel as nib
      img = nib.load(sys.argv[1])
      d = np.asanyarray(img.dataobj)
      print(str(img.get_data_dtype()), list(img.shape),
            hashlib.sha256(d.astype(np.uint8).tobytes(order='F')).hexdigest(),
            repr(np.round(img.affine, 4).tolist()))
      """;

  @TempDir Path dir;

  @Test
  void labelsReadBackExactly() throws Exception {
    Geometry g =
        Geometry.axisAligned(9, 7, 5, new double[] {1.5, 1.5, 2.5}, new double[] {-6, -4.5, 10});
    byte[] values = new byte[(int) g.voxelCount()];
    for (int i = 0; i < values.length; i++) {
      values[i] = (byte) (i % 7 == 0 ? 1 : i % 11 == 0 ? 2 : i % 13 == 0 ? 255 : 0);
    }
    LabelVolume labels =
        new LabelVolume(
            g,
            values,
            List.of(
                new Label(1, "a", 1, null),
                new Label(2, "b", 2, null),
                new Label(255, "c", 3, null)));
    Path file = dir.resolve("labels.nii.gz");
    NiftiWriter.write(labels, file);

    Volume back = NiftiReader.read(file);
    assertTrue(back.geometry().sameGrid(g, 1e-5), back.geometry().toString());
    for (int i = 0; i < values.length; i++) {
      assertEquals(values[i] & 0xff, back.valueAt(i), 0, "voxel " + i);
    }

    Process p =
        new ProcessBuilder("/usr/bin/python3", "-c", CHECK, file.toString())
            .redirectErrorStream(true)
            .start();
    String out =
        new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
            .strip()
            .replace("-0.0", "0.0");
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), "nibabel (python3-nibabel) failed: " + out);
    String[] parts = out.split(" ", 4);
    assertEquals("uint8", parts[0], out);
    java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
    String expected = java.util.HexFormat.of().formatHex(sha.digest(values));
    assertTrue(out.contains(expected), "nibabel's values differ: " + out);
    assertTrue(
        out.contains("[[-1.5, 0.0, 0.0, 6.0], [0.0, -1.5, 0.0, 4.5], [0.0, 0.0, 2.5, 10.0]"), out);
    assertTrue(Files.size(file) > 0);
  }
}
