package org.voxelwise.imaging.nifti;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.Volume;

/**
 * Checks against nibabel, the reference NIfTI implementation: what nibabel writes we read as
 * nibabel does, and what we write nibabel reads as we meant. Needs {@code /usr/bin/python3} with
 * nibabel and numpy (Debian's python3-nibabel); fails without them.
 */
class NiftiNibabelTest {
  private static final String PYTHON = "/usr/bin/python3";

  /**
   * Writes a NIfTI file of one of several kinds, then prints nibabel's affine, shape and values sum
   * as JSON and stores its float64 values (x fastest) in a raw file.
   */
  private static final String MAKE =
      """
      import sys, json, struct, numpy as np, nibabel as nib
      out, raw, case = sys.argv[1], sys.argv[2], sys.argv[3]
      nx, ny, nz = 11, 7, 5
      i, j, k = np.meshgrid(np.arange(nx), np.arange(ny), np.arange(nz), indexing='ij')
      base = (i * 7 + j * 13 + k * 17) % 301 - 100
      c, s = np.cos(0.4), np.sin(0.4)
      oblique = np.array([[0.8 * c, -0.9 * s, 0, -50.5],
                          [0.8 * s, 0.9 * c, 0.3, 20.25],
                          [0, 0, 2.48, -33.0],
                          [0, 0, 0, 1]])
      oblique[:3, 2] = np.cross(oblique[:3, 0], oblique[:3, 1])
      oblique[:3, 2] *= 2.5 / np.linalg.norm(oblique[:3, 2])
      shear = np.array([[-0.7, 0, 0, 90], [0, 0.7, 0.4, -60], [0, 0, 1.5, 12], [0, 0, 0, 1]])
      flipped = np.diag([1.2, 1.2, -3.0, 1.0]); flipped[:3, 3] = [5, 6, -7]
      hdr = None
      if case == 'int16_oblique':
          data, affine = base.astype('<i2'), oblique
      elif case == 'float64_bigendian_shear':
          data, affine = (base * 0.25 + 0.125).astype('>f8'), shear
          hdr = nib.Nifti1Header(endianness='>')
      elif case == 'uint8_qform_only':
          data, affine = ((i * 7 + j * 13 + k * 17) % 251).astype(np.uint8), flipped
      elif case in ('int16_scaled_fraction', 'int16_scaled_integer'):
          data, affine = base.astype('<i2'), oblique
      elif case == 'uint16_large':
          data, affine = (base + 100).astype(np.uint16) * 200, oblique
      elif case == 'int32_small':
          data, affine = (base * 100).astype(np.int32), oblique
      elif case == 'float32_4d_single':
          data, affine = (base * 1.5).astype(np.float32)[..., np.newaxis], oblique
      img = nib.Nifti1Image(data, affine, hdr)
      img.set_data_dtype(data.dtype)
      if case == 'uint8_qform_only':
          img.set_qform(affine, code=1)
          img.set_sform(None, code=0)
      img.to_filename(out)
      if case.startswith('int16_scaled'):
          slope, inter = (0.5, -10.0) if case.endswith('fraction') else (2.0, -1024.0)
          with open(out, 'r+b') as f:
              f.seek(112)
              f.write(struct.pack('<ff', slope, inter))
      img = nib.load(out)
      fdata = np.asarray(img.get_fdata(), dtype='<f8')
      fdata.reshape(fdata.shape[:3], order='F').ravel(order='F').tofile(raw)
      print(json.dumps({'affine': img.affine.tolist(), 'shape': list(img.shape),
                        'sum': float(fdata.sum()), 'endianness': img.header.endianness}))
      """;

  /** Loads a file with nibabel, prints what it sees as JSON and stores its values like MAKE. */
  private static final String LOAD =
      """
      import sys, json, numpy as np, nibabel as nib
      path, raw = sys.argv[1], sys.argv[2]
      img = nib.load(path)
      h = img.header
      fdata = np.asarray(img.get_fdata(), dtype='<f8')
      fdata.ravel(order='F').tofile(raw)
      qform, qcode = h.get_qform(coded=True)
      sform, scode = h.get_sform(coded=True)
      print(json.dumps({'affine': img.affine.tolist(), 'qform': h.get_qform().tolist(),
                        'qform_code': int(qcode), 'sform_code': int(scode),
                        'shape': list(img.shape), 'dtype': str(img.get_data_dtype()),
                        'sum': float(np.nansum(fdata[np.isfinite(fdata)])),
                        'sizeof_hdr': int(h['sizeof_hdr']), 'vox_offset': int(img.dataobj.offset),
                        'magic': h['magic'].item().decode(), 'xyzt_units': int(h['xyzt_units']),
                        'zooms': [float(z) for z in h.get_zooms()]}))
      """;

  @TempDir Path dir;

  static Stream<Arguments> nibabelFiles() {
    return Stream.of(
        Arguments.of("int16_oblique", ".nii.gz", true),
        Arguments.of("float64_bigendian_shear", ".nii", false),
        Arguments.of("uint8_qform_only", ".nii", true),
        Arguments.of("int16_scaled_fraction", ".nii", false),
        Arguments.of("int16_scaled_integer", ".nii", true),
        Arguments.of("uint16_large", ".nii.gz", false),
        Arguments.of("int32_small", ".nii", true),
        Arguments.of("float32_4d_single", ".nii", false));
  }

  @ParameterizedTest(name = "{0}{1}")
  @MethodSource("nibabelFiles")
  void readsWhatNibabelWrites(String kind, String ext, boolean expectShorts) throws Exception {
    Path file = dir.resolve(kind + ext);
    Path raw = dir.resolve(kind + ".f64");
    JsonObject nib = python(MAKE, file.toString(), raw.toString(), kind);
    if (kind.contains("bigendian")) {
      assertEquals(">", nib.get("endianness").getAsString(), "the fixture must be big endian");
    }

    Volume v = NiftiReader.read(file);

    JsonArray shape = nib.getAsJsonArray("shape");
    Geometry g = v.geometry();
    assertEquals(shape.get(0).getAsInt(), g.sizeX());
    assertEquals(shape.get(1).getAsInt(), g.sizeY());
    assertEquals(shape.get(2).getAsInt(), g.sizeZ());
    assertEquals(expectShorts, v.isShort());
    assertValues(raw, v);
    assertEquals(nib.get("sum").getAsDouble(), sum(v), 1e-6);
    assertAffine(matrix(nib.getAsJsonArray("affine")), g);
  }

  @ParameterizedTest
  @ValueSource(strings = {"oblique.nii.gz", "leftHanded.nii", "tilted.nii"})
  void nibabelReadsWhatWeWrite(String name) throws Exception {
    Geometry g =
        switch (name) {
          case "oblique.nii.gz" -> TestVolumes.oblique();
          case "leftHanded.nii" -> TestVolumes.leftHanded();
          default -> TestVolumes.tilted();
        };
    for (Volume v : List.of(TestVolumes.shorts(g), TestVolumes.floats(g))) {
      Path file = dir.resolve(name);
      NiftiWriter.write(v, file);
      Path raw = dir.resolve("values.f64");

      JsonObject nib = python(LOAD, file.toString(), raw.toString());

      assertEquals(
          List.of(TestVolumes.NX, TestVolumes.NY, TestVolumes.NZ),
          ints(nib.getAsJsonArray("shape")));
      assertEquals(v.isShort() ? "int16" : "float32", nib.get("dtype").getAsString());
      assertEquals(1, nib.get("qform_code").getAsInt());
      assertEquals(1, nib.get("sform_code").getAsInt());
      assertEquals(348, nib.get("sizeof_hdr").getAsInt());
      assertEquals(352, nib.get("vox_offset").getAsInt());
      assertEquals("n+1", nib.get("magic").getAsString());
      assertEquals(2, nib.get("xyzt_units").getAsInt());
      double[] spacing = g.spacingMm();
      JsonArray zooms = nib.getAsJsonArray("zooms");
      for (int a = 0; a < 3; a++) {
        assertEquals(spacing[a], zooms.get(a).getAsDouble(), 1e-5);
      }
      assertValues(raw, v);
      double finiteSum = 0;
      for (int i = 0; i < g.voxelCount(); i++) {
        finiteSum += Float.isFinite(v.valueAt(i)) ? v.valueAt(i) : 0;
      }
      assertEquals(
          finiteSum, nib.get("sum").getAsDouble(), 1e-6 * Math.max(1, Math.abs(finiteSum)));
      assertAffine(matrix(nib.getAsJsonArray("affine")), g);
      if (g.tiltDegrees() < 1e-6) {
        // nibabel's own quaternion code must agree with ours where a qform is exact.
        assertAffine(matrix(nib.getAsJsonArray("qform")), g);
      }
    }
  }

  /** Every voxel of {@code v} equals nibabel's value (stored as float64), to float precision. */
  private static void assertValues(Path raw, Volume v) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(raw)).order(ByteOrder.LITTLE_ENDIAN);
    int n = (int) v.geometry().voxelCount();
    assertEquals(8L * n, b.capacity(), "nibabel's voxel count");
    for (int i = 0; i < n; i++) {
      float expected = (float) b.getDouble(8 * i);
      float actual = v.valueAt(i);
      if (Float.floatToIntBits(expected) != Float.floatToIntBits(actual) && !(expected == actual)) {
        throw new AssertionError("voxel " + i + ": nibabel " + expected + ", ours " + actual);
      }
    }
  }

  /** {@code rasAffine} (nibabel's) equals the geometry's matrix in RAS, to 1e-4. */
  private static void assertAffine(double[][] rasAffine, Geometry g) {
    double[][] lps = g.voxelToPatientMatrix();
    for (int r = 0; r < 4; r++) {
      for (int c = 0; c < 4; c++) {
        double ours = r < 2 ? -lps[r][c] : lps[r][c];
        assertEquals(rasAffine[r][c], ours, 1e-4, "affine[" + r + "][" + c + "] of " + g);
      }
    }
  }

  private static double sum(Volume v) {
    double s = 0;
    for (int i = 0; i < v.geometry().voxelCount(); i++) {
      s += v.valueAt(i);
    }
    return s;
  }

  private static double[][] matrix(JsonArray rows) {
    double[][] m = new double[4][4];
    for (int r = 0; r < 4; r++) {
      for (int c = 0; c < 4; c++) {
        m[r][c] = rows.get(r).getAsJsonArray().get(c).getAsDouble();
      }
    }
    return m;
  }

  private static List<Integer> ints(JsonArray a) {
    List<Integer> list = new ArrayList<>();
    a.forEach(e -> list.add(e.getAsInt()));
    return list;
  }

  /** Runs a Python script with arguments and parses the JSON it prints; fails on any error. */
  private JsonObject python(String script, String... args) throws Exception {
    assertTrue(
        Files.isExecutable(Path.of(PYTHON)), PYTHON + " is missing (install python3-nibabel)");
    List<String> command = new ArrayList<>(List.of(PYTHON, "-c", script));
    command.addAll(List.of(args));
    Path log = dir.resolve("python.log");
    Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    boolean finished = p.waitFor(60, TimeUnit.SECONDS);
    if (!finished) {
      p.destroyForcibly();
    }
    assertTrue(finished, "python timed out");
    String err = Files.readString(log);
    assertEquals(0, p.exitValue(), () -> "python failed:\n" + err);
    assertFalse(out.isBlank(), () -> "python printed nothing:\n" + err);
    return JsonParser.parseString(out.strip()).getAsJsonObject();
  }
}
