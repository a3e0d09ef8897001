package org.voxelwise.imaging.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.Volume;

class NiftiRoundTripTest {
  @TempDir Path dir;

  static Stream<Arguments> cases() {
    List<String> names = List.of("axisAligned", "oblique", "leftHanded", "tilted");
    List<Geometry> geometries =
        List.of(
            TestVolumes.axisAligned(),
            TestVolumes.oblique(),
            TestVolumes.leftHanded(),
            TestVolumes.tilted());
    Stream.Builder<Arguments> b = Stream.builder();
    for (int g = 0; g < names.size(); g++) {
      for (String ext : List.of(".nii", ".nii.gz")) {
        b.add(Arguments.of(names.get(g), ext, TestVolumes.shorts(geometries.get(g))));
        b.add(Arguments.of(names.get(g), ext, TestVolumes.floats(geometries.get(g))));
      }
    }
    return b.build();
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("cases")
  void writeThenReadGivesTheSameVolume(String name, String ext, Volume volume) throws Exception {
    Path file = dir.resolve(name + ext);
    NiftiWriter.write(volume, file);
    Volume back = NiftiReader.read(file);

    assertEquals(volume.isShort(), back.isShort());
    assertArrayEquals(volume.toFloatArray(), back.toFloatArray());
    assertTrue(
        volume.geometry().sameGrid(back.geometry(), 1e-4),
        () -> "wrote " + volume.geometry() + ", read " + back.geometry());
    assertEquals("", back.modality());
    byte[] start = Files.readAllBytes(file);
    assertEquals(ext.equals(".nii.gz"), (start[0] & 0xFF) == 0x1f && (start[1] & 0xFF) == 0x8b);
  }

  @Test
  void headerHasTheRequiredFields() throws Exception {
    Path file = dir.resolve("h.nii");
    NiftiWriter.write(TestVolumes.shorts(TestVolumes.oblique()), file);
    ByteBuffer h = header(file);
    assertEquals(348, h.getInt(0));
    assertEquals(3, h.getShort(40));
    assertEquals(TestVolumes.NX, h.getShort(42));
    assertEquals(TestVolumes.NY, h.getShort(44));
    assertEquals(TestVolumes.NZ, h.getShort(46));
    assertEquals(4, h.getShort(70), "datatype int16");
    assertEquals(16, h.getShort(72), "bitpix");
    assertEquals(0.9f, h.getFloat(80));
    assertEquals(1.1f, h.getFloat(84));
    assertEquals(3.0f, h.getFloat(88));
    assertEquals(352f, h.getFloat(108), "vox_offset");
    assertEquals(2, h.get(123), "xyzt_units mm");
    assertEquals(1, h.getShort(252), "qform_code");
    assertEquals(1, h.getShort(254), "sform_code");
    assertEquals("n+1\0", new String(h.array(), 344, 4, "US-ASCII"));
    assertEquals(352 + 2 * TestVolumes.NX * TestVolumes.NY * TestVolumes.NZ, Files.size(file));

    NiftiWriter.write(TestVolumes.floats(TestVolumes.oblique()), file);
    h = header(file);
    assertEquals(16, h.getShort(70), "datatype float32");
    assertEquals(32, h.getShort(72), "bitpix");
  }

  @Test
  void sformIsTheGeometryInRas() throws Exception {
    Geometry g = TestVolumes.tilted();
    Path file = dir.resolve("s.nii");
    NiftiWriter.write(TestVolumes.shorts(g), file);
    ByteBuffer h = header(file);
    double[][] lps = g.voxelToPatientMatrix();
    for (int r = 0; r < 3; r++) {
      double sign = r < 2 ? -1 : 1;
      for (int c = 0; c < 4; c++) {
        assertEquals(sign * lps[r][c], h.getFloat(280 + 16 * r + 4 * c), 1e-4, "srow " + r + c);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("orthogonalGeometries")
  void qformAloneGivesTheSameGridForOrthogonalAxes(Geometry g) throws Exception {
    Path file = dir.resolve("q.nii");
    NiftiWriter.write(TestVolumes.shorts(g), file);
    patchShort(file, 254, (short) 0); // sform_code 0: the reader must use the qform
    Geometry back = NiftiReader.read(file).geometry();
    assertTrue(g.sameGrid(back, 1e-4), () -> "wrote " + g + ", qform gives " + back);
  }

  static Stream<Geometry> orthogonalGeometries() {
    return Stream.of(TestVolumes.axisAligned(), TestVolumes.oblique(), TestVolumes.leftHanded());
  }

  @Test
  void qformOfTiltedAxesIsTheClosestRotation() throws Exception {
    Geometry g = TestVolumes.tilted();
    Path file = dir.resolve("q.nii");
    NiftiWriter.write(TestVolumes.shorts(g), file);
    patchShort(file, 254, (short) 0);
    Geometry back = NiftiReader.read(file).geometry();
    assertArrayEquals(g.originMm(), back.originMm(), 1e-4);
    assertArrayEquals(g.spacingMm(), back.spacingMm(), 1e-4);
    assertEquals(0, back.tiltDegrees(), 1e-3, "a qform has orthogonal axes");
    // The closest rotation splits the 20° between the y and z axes: each moves by 10°.
    assertEquals(10, angleDegrees(g.axisY(), back.axisY()), 0.01);
    assertEquals(10, angleDegrees(g.axisZ(), back.axisZ()), 0.01);
    assertEquals(0, angleDegrees(g.axisX(), back.axisX()), 0.01);
  }

  @Test
  void withoutQformOrSformPixdimGivesSpacingAtTheRasOrigin() throws Exception {
    Path file = dir.resolve("p.nii");
    NiftiWriter.write(TestVolumes.shorts(TestVolumes.oblique()), file);
    patchShort(file, 252, (short) 0);
    patchShort(file, 254, (short) 0);
    Geometry back = NiftiReader.read(file).geometry();
    assertArrayEquals(new double[] {0.9, 1.1, 3.0}, back.spacingMm(), 1e-6);
    assertArrayEquals(new double[] {0, 0, 0}, back.originMm(), 0);
    assertArrayEquals(new double[] {-1, 0, 0}, back.axisX(), 0);
    assertArrayEquals(new double[] {0, -1, 0}, back.axisY(), 0);
    assertArrayEquals(new double[] {0, 0, 1}, back.axisZ(), 0);
  }

  @Test
  void writeReplacesAnExistingFileAndLeavesNoTemporaryFile() throws Exception {
    Path file = dir.resolve("out.nii.gz");
    Files.writeString(file, "old content");
    Volume v = TestVolumes.shorts(TestVolumes.oblique());
    NiftiWriter.write(v, file);
    assertArrayEquals(v.shortValues(), NiftiReader.read(file).shortValues());
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList());
    }
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
    assertEquals(
        Files.getPosixFilePermissions(Files.createFile(dir.resolve("plain"))),
        permissions,
        "the output has a new file's usual permissions");
  }

  @Test
  void writeIntoAMissingFolderFailsAndLeavesNothing() {
    Path file = dir.resolve("missing").resolve("out.nii");
    assertThrows(
        IOException.class,
        () -> NiftiWriter.write(TestVolumes.shorts(TestVolumes.oblique()), file));
    assertFalse(Files.exists(file.getParent()));
  }

  @Test
  void writeRejectsOtherFileNames() {
    assertThrows(
        IllegalArgumentException.class,
        () -> NiftiWriter.write(TestVolumes.shorts(TestVolumes.oblique()), dir.resolve("x.img")));
  }

  @Test
  void aCtSizedVolumeRoundTrips() throws Exception {
    Geometry g = Geometry.axisAligned(512, 512, 300, new double[] {0.7, 0.7, 1}, new double[3]);
    short[] values = new short[(int) g.voxelCount()];
    for (int i = 0; i < values.length; i++) {
      values[i] = (short) ((i % 512) * 3 - 1000 + (i / 262144));
    }
    Volume v = Volume.ofShorts(g, "CT", values);
    Path file = dir.resolve("ct.nii");
    NiftiWriter.write(v, file);
    Volume back = NiftiReader.read(file);
    assertArrayEquals(values, back.shortValues());
    assertTrue(back.geometry().sameGrid(g, 1e-4));
  }

  private static double angleDegrees(double[] a, double[] b) {
    double dot = a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    return Math.toDegrees(Math.acos(Math.min(1, dot)));
  }

  private static ByteBuffer header(Path file) throws IOException {
    byte[] all = Files.readAllBytes(file);
    return ByteBuffer.wrap(all, 0, 352).slice().order(ByteOrder.LITTLE_ENDIAN);
  }

  private static void patchShort(Path file, int offset, short value) throws IOException {
    byte[] all = Files.readAllBytes(file);
    ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN).putShort(offset, value);
    Files.write(file, all);
  }
}
