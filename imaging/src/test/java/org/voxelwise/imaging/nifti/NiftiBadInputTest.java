package org.voxelwise.imaging.nifti;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxelwise.imaging.BadInputException;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.Volume;

/**
 * Files that are not readable NIfTI-1 images give a {@link BadInputException} naming the file, and
 * quickly: never another exception, never a long wait or a huge allocation.
 */
class NiftiBadInputTest {
  @TempDir Path dir;

  @Test
  void emptyFile() throws Exception {
    assertBad(write("empty.nii", new byte[0]), "empty");
  }

  @Test
  void randomBytes() throws Exception {
    byte[] noise = new byte[5000];
    new Random(42).nextBytes(noise);
    assertBad(write("noise.nii", noise), "not a NIfTI");
    assertBad(write("noise.nii.gz", noise), "not a NIfTI");
  }

  @Test
  void gzipOfSomethingElse() throws Exception {
    assertBad(write("text.nii.gz", gzip("hello, this is not an image".getBytes())), "NIfTI");
  }

  @Test
  void missingFileAndFolder() throws Exception {
    assertBad(dir.resolve("absent.nii"), "no such file");
    Path folder = Files.createDirectory(dir.resolve("folder.nii"));
    assertBad(folder, "folder");
  }

  @Test
  void truncatedHeader() throws Exception {
    byte[] valid = valid();
    assertBad(write("header.nii", Arrays.copyOf(valid, 200)), "truncated");
    assertBad(write("header.nii.gz", gzip(Arrays.copyOf(valid, 200))), "truncated");
  }

  @Test
  void truncatedData() throws Exception {
    byte[] valid = valid();
    assertBad(write("data.nii", Arrays.copyOf(valid, 352 + 1000)), "truncated");
    assertBad(write("data.nii.gz", gzip(Arrays.copyOf(valid, 352 + 1000))), "truncated");
  }

  @Test
  void truncatedGzipStream() throws Exception {
    Path file = dir.resolve("cut.nii.gz");
    NiftiWriter.write(noiseVolume(), file);
    byte[] gz = Files.readAllBytes(file);
    assertBad(write("cut.nii.gz", Arrays.copyOf(gz, gz.length / 2)), "truncated");
    assertBad(write("cut2.nii.gz", Arrays.copyOf(gz, gz.length - 4)), "truncated");
  }

  @Test
  void corruptGzipStream() throws Exception {
    Path file = dir.resolve("corrupt.nii.gz");
    NiftiWriter.write(noiseVolume(), file);
    byte[] gz = Files.readAllBytes(file);
    for (int i = gz.length / 2; i < gz.length / 2 + 64; i++) {
      gz[i] ^= (byte) 0x5a;
    }
    assertBad(write("corrupt.nii.gz", gz), "");
  }

  @Test
  void headerClaimingHugeDimensions() throws Exception {
    Consumer<ByteBuffer> huge = h -> dims(h, 3, 1000, 1000, 1000);
    assertBad(write("huge.nii", patched(huge)), "truncated");
    assertBad(write("huge.nii.gz", gzip(patched(huge))), "truncated");
    Consumer<ByteBuffer> tooMany = h -> dims(h, 3, 32000, 32000, 32000);
    assertBad(write("toomany.nii", patched(tooMany)), "too large");
    assertBad(write("toomany.nii.gz", gzip(patched(tooMany))), "too large");
  }

  @Test
  void sizesNotPositive() throws Exception {
    assertBad(write("zero.nii", patched(h -> dims(h, 3, 8, 0, 8))), "bad size");
    assertBad(write("negative.nii", patched(h -> dims(h, 3, 8, 8, -8))), "bad size");
  }

  @Test
  void notThreeDimensional() throws Exception {
    assertBad(write("2d.nii", patched(h -> dims(h, 2, 8, 8, 1))), "dimensions");
    assertBad(write("4d.nii", patched(h -> dims(h, 4, 8, 8, 4, 2))), "4D");
    assertBad(write("rank9.nii", patched(h -> dims(h, 9, 8, 8, 8))), "dimensions");
  }

  @Test
  void unsupportedDatatypes() throws Exception {
    assertBad(write("complex.nii", patched(h -> h.putShort(70, (short) 32))), "datatype 32");
    assertBad(write("rgb.nii", patched(h -> h.putShort(70, (short) 128))), "datatype 128");
    assertBad(write("int8.nii", patched(h -> h.putShort(70, (short) 256))), "datatype 256");
  }

  @Test
  void otherFormats() throws Exception {
    assertBad(write("nifti2.nii", patched(h -> h.putInt(0, 540))), "NIfTI-2");
    assertBad(write("analyze.nii", patched(h -> h.put(344, new byte[4]))), "n+1");
    assertBad(write("pair.nii", patched(h -> h.put(344, new byte[] {'n', 'i', '1', 0}))), ".hdr");
  }

  @Test
  void badVoxOffset() throws Exception {
    assertBad(write("offset0.nii", patched(h -> h.putFloat(108, 0))), "vox_offset");
    assertBad(write("offsetNaN.nii", patched(h -> h.putFloat(108, Float.NaN))), "vox_offset");
    assertBad(write("offsetFar.nii", patched(h -> h.putFloat(108, 1e9f))), "truncated");
  }

  @Test
  void degenerateTransforms() throws Exception {
    Consumer<ByteBuffer> zeroSform =
        h -> {
          for (int i = 0; i < 12; i++) {
            h.putFloat(280 + 4 * i, 0);
          }
        };
    assertBad(write("sform0.nii", patched(zeroSform)), "sform");
    Consumer<ByteBuffer> nanSform = h -> h.putFloat(280, Float.NaN);
    assertBad(write("sformNaN.nii", patched(nanSform)), "sform");
    Consumer<ByteBuffer> zeroPixdim =
        h -> {
          h.putShort(254, (short) 0);
          h.putFloat(84, 0);
        };
    assertBad(write("pixdim0.nii", patched(zeroPixdim)), "pixdim");
  }

  /** Reading {@code file} throws BadInputException naming it and containing {@code problem}. */
  private static void assertBad(Path file, String problem) {
    BadInputException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(1),
            () -> assertThrows(BadInputException.class, () -> NiftiReader.read(file)));
    String name = file.getFileName().toString();
    assertTrue(e.getMessage().contains(name), () -> "no file name in: " + e.getMessage());
    assertTrue(
        e.problem().contains(problem), () -> "expected '" + problem + "' in: " + e.problem());
  }

  private Path write(String name, byte[] bytes) throws IOException {
    return Files.write(dir.resolve(name), bytes);
  }

  /** A valid 8×8×8 int16 .nii file. */
  private byte[] valid() throws IOException {
    Geometry g = Geometry.axisAligned(8, 8, 8, new double[] {1, 1, 1}, new double[3]);
    short[] values = new short[512];
    Arrays.fill(values, (short) 7);
    Path file = dir.resolve("valid.nii");
    NiftiWriter.write(Volume.ofShorts(g, "CT", values), file);
    byte[] bytes = Files.readAllBytes(file);
    Files.delete(file);
    return bytes;
  }

  /** A valid 8×8×8 file with its header changed by {@code patch} (little endian). */
  private byte[] patched(Consumer<ByteBuffer> patch) throws IOException {
    byte[] bytes = valid();
    patch.accept(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN));
    return bytes;
  }

  private static void dims(ByteBuffer h, int... dim) {
    for (int i = 0; i < dim.length; i++) {
      h.putShort(40 + 2 * i, (short) dim[i]);
    }
  }

  /** A volume of random values, which compresses poorly: its gzip stream is long. */
  private static Volume noiseVolume() {
    Geometry g = Geometry.axisAligned(64, 64, 16, new double[] {1, 1, 1}, new double[3]);
    short[] values = new short[(int) g.voxelCount()];
    Random r = new Random(7);
    for (int i = 0; i < values.length; i++) {
      values[i] = (short) r.nextInt();
    }
    return Volume.ofShorts(g, "CT", values);
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }
}
