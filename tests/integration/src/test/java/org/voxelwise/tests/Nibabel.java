package org.voxelwise.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * nibabel (Debian's python3-nibabel, run with {@code /usr/bin/python3}) as the reference reader of
 * the NIfTI files the command line writes. Tests using it fail, never skip, when it is missing.
 */
final class Nibabel {
  private static final String PYTHON = "/usr/bin/python3";

  /**
   * Prints, as JSON: shape, on-disk dtype, affine, qform and their codes, the exact sum of the
   * values, the SHA-256 of the values as little-endian float32 with x fastest, and the values at
   * the voxels listed in the JSON file argv[2] ([[i, j, k], ...]).
   */
  private static final String DESCRIBE =
      """
      import sys, json, hashlib, numpy as np, nibabel as nib
      img = nib.load(sys.argv[1])
      points = json.load(open(sys.argv[2]))
      data = img.get_fdata(dtype=np.float32)
      h = img.header
      qform, qcode = h.get_qform(coded=True)
      sform, scode = h.get_sform(coded=True)
      print(json.dumps({
          'shape': list(img.shape), 'dtype': str(img.get_data_dtype()),
          'affine': img.affine.tolist(), 'qform': h.get_qform().tolist(),
          'qformCode': int(qcode), 'sformCode': int(scode),
          'sum': float(data.sum(dtype=np.float64)),
          'sha256': hashlib.sha256(np.asarray(data, dtype='<f4').tobytes(order='F')).hexdigest(),
          'samples': [float(data[i, j, k]) for i, j, k in points]}))
      """;

  private Nibabel() {}

  /** What nibabel sees in {@code nifti}, with the values at {@code points} ([i, j, k] each). */
  static JsonObject describe(Path nifti, List<int[]> points)
      throws IOException, InterruptedException {
    Path pointsFile = Files.createTempFile(nifti.getParent(), "points", ".json");
    try {
      JsonArray array = new JsonArray();
      for (int[] p : points) {
        JsonArray a = new JsonArray();
        for (int c : p) {
          a.add(c);
        }
        array.add(a);
      }
      Files.writeString(pointsFile, array.toString());
      Cli.Result r =
          Cli.process(
              List.of(PYTHON, "-c", DESCRIBE, nifti.toString(), pointsFile.toString()),
              nifti.getParent(),
              300);
      assertEquals(
          0,
          r.exitCode(),
          () -> "nibabel (apt-get install python3-nibabel) could not read " + nifti + "\n" + r);
      return JsonParser.parseString(r.out()).getAsJsonObject();
    } finally {
      Files.deleteIfExists(pointsFile);
    }
  }
}
