package org.voxelwise.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonArray;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.voxelwise.imaging.dicom.CtSeriesWriter;
import org.voxelwise.imaging.progress.ProgressListener;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.Volume;

/** Test studies: synthetic CT volumes, written as DICOM and scrambled on disk. */
final class Studies {
  private Studies() {}

  /**
   * A CT-like volume of shorts: air outside a body cylinder, blocks of tissue values inside, noise
   * everywhere, and one voxel each at −1024 and 3071 HU.
   */
  static Volume ct(Geometry g, long seed) {
    int nx = g.sizeX();
    int ny = g.sizeY();
    int nz = g.sizeZ();
    short[] v = new short[Math.toIntExact(g.voxelCount())];
    SplittableRandom random = new SplittableRandom(seed);
    double radius = 0.45 * Math.min(nx, ny);
    int i = 0;
    for (int z = 0; z < nz; z++) {
      for (int y = 0; y < ny; y++) {
        double dy = y - ny / 2.0;
        for (int x = 0; x < nx; x++) {
          double dx = x - nx / 2.0;
          int base =
              dx * dx + dy * dy < radius * radius
                  ? -100 + ((x / 16 + y / 16 + z / 8) % 5) * 150
                  : -1000;
          v[i++] = (short) (base + random.nextInt(-20, 21));
        }
      }
    }
    v[random.nextInt(v.length)] = -1024;
    v[random.nextInt(v.length)] = 3071;
    return Volume.ofShorts(g, "CT", v);
  }

  /** An oblique geometry: axes rotated about a skew axis, slices along their normal. */
  static Geometry oblique(int nx, int ny, int nz, double[] spacing, double[] origin) {
    double[] axisX = rotate(new double[] {1, 0, 0});
    double[] axisY = rotate(new double[] {0, 1, 0});
    double[] axisZ = cross(axisX, axisY);
    return new Geometry(nx, ny, nz, spacing, origin, axisX, axisY, axisZ);
  }

  /** Rotation by 0.5 rad about the unit axis (1, 2, 3)/√14 (Rodrigues' formula). */
  private static double[] rotate(double[] v) {
    double n = Math.sqrt(14);
    double[] k = {1 / n, 2 / n, 3 / n};
    double c = Math.cos(0.5);
    double s = Math.sin(0.5);
    double[] kxv = cross(k, v);
    double kv = k[0] * v[0] + k[1] * v[1] + k[2] * v[2];
    double[] r = new double[3];
    for (int a = 0; a < 3; a++) {
      r[a] = v[a] * c + kxv[a] * s + k[a] * kv * (1 - c);
    }
    return r;
  }

  static double[] cross(double[] a, double[] b) {
    return new double[] {
      a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]
    };
  }

  /**
   * The NIfTI (RAS) affine expected for a geometry: columns are the axes times the spacings, the
   * last column the origin, all in LPS, then the x and y rows negated.
   */
  static double[][] expectedRasAffine(Geometry g) {
    double[][] axes = {g.axisX(), g.axisY(), g.axisZ()};
    double[] spacing = g.spacingMm();
    double[] origin = g.originMm();
    double[][] m = new double[4][4];
    for (int r = 0; r < 3; r++) {
      double sign = r < 2 ? -1 : 1;
      for (int c = 0; c < 3; c++) {
        m[r][c] = sign * axes[c][r] * spacing[c];
      }
      m[r][3] = sign * origin[r];
    }
    m[3][3] = 1;
    return m;
  }

  static void assertAffine(double[][] expected, JsonArray actual, double tolerance) {
    for (int r = 0; r < 4; r++) {
      for (int c = 0; c < 4; c++) {
        double a = actual.get(r).getAsJsonArray().get(c).getAsDouble();
        assertEquals(expected[r][c], a, tolerance, "affine[" + r + "][" + c + "]");
      }
    }
  }

  static void assertVector(double[] expected, JsonArray actual, double tolerance, String what) {
    assertEquals(expected.length, actual.size(), what);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual.get(i).getAsDouble(), tolerance, what + "[" + i + "]");
    }
  }

  /** Writes a volume as a CT series with default options but this seed and series number. */
  static List<Path> write(Volume v, Path dir, String seed, int seriesNumber) throws IOException {
    return CtSeriesWriter.write(v, dir, options(seed, seriesNumber), ProgressListener.NONE);
  }

  static CtSeriesWriter.Options options(String seed, int seriesNumber) {
    return CtSeriesWriter.Options.builder()
        .uidSeed(seed)
        .seriesNumber(seriesNumber)
        .seriesDescription("series " + seriesNumber)
        .build();
  }

  /**
   * Moves the files into {@code target} under random names (some without extension) in random
   * nested folders, in random order, so that neither names nor folders nor order say anything.
   */
  static void scramble(List<Path> files, Path target, long seed) throws IOException {
    Random random = new Random(seed);
    List<Path> shuffled = new ArrayList<>(files);
    Collections.shuffle(shuffled, random);
    String[] extensions = {"", "", ".dcm", ".IMA", ".bin"};
    for (Path f : shuffled) {
      Path dir = target;
      int depth = random.nextInt(3);
      for (int d = 0; d < depth; d++) {
        dir = dir.resolve(Integer.toHexString(random.nextInt(4) + 10 * d));
      }
      Files.createDirectories(dir);
      String name = Long.toHexString(random.nextLong()) + extensions[random.nextInt(5)];
      Files.move(f, dir.resolve(name));
    }
  }

  /** Every regular file under {@code dir}. */
  static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }

  /**
   * SHA-256 of the values as little-endian float32, x fastest: the same as {@link
   * Nibabel#describe}'s "sha256" of nibabel's data.
   */
  static String sha256OfFloats(Volume v) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    int n = Math.toIntExact(v.geometry().voxelCount());
    ByteBuffer buffer = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      if (!buffer.hasRemaining()) {
        digest.update(buffer.array(), 0, buffer.position());
        buffer.clear();
      }
      buffer.putFloat(v.valueAt(i));
    }
    digest.update(buffer.array(), 0, buffer.position());
    return HexFormat.of().formatHex(digest.digest());
  }

  /** The exact sum of all values (of a volume of shorts or of integral floats). */
  static long sum(Volume v) {
    long s = 0;
    int n = Math.toIntExact(v.geometry().voxelCount());
    for (int i = 0; i < n; i++) {
      s += (long) v.valueAt(i);
    }
    return s;
  }
}
