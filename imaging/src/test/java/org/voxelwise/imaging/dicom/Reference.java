package org.voxelwise.imaging.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.voxelwise.imaging.BadInputException;
import org.voxelwise.imaging.progress.ProgressListener;

/**
 * What the importer tests compare against: pydicom's test files, pydicom + numpy (Debian's {@code
 * /usr/bin/python3}) as the reference reader, and DCMTK's command-line tools. Every helper fails
 * the test (never skips it) when a tool or file is missing: {@code ./voxelwise test} installs them.
 */
final class Reference {
  static final Path TEST_FILES = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");
  static final String PYTHON = "/usr/bin/python3";
  private static final long TIMEOUT_S = 60;

  private Reference() {}

  /** A file from pydicom's test data; fails when python3-pydicom is not installed. */
  static Path testFile(String name) {
    Path p = TEST_FILES.resolve(name);
    assertTrue(Files.exists(p), p + " is missing: install python3-pydicom");
    return p;
  }

  /** What a command printed and how it ended. */
  record Result(int exitCode, String stdout, String stderr) {
    /** The JSON object on the last line of stdout. */
    JsonObject json() {
      String[] lines = stdout.strip().split("\n");
      return JsonParser.parseString(lines[lines.length - 1]).getAsJsonObject();
    }
  }

  /** Runs a command (60 s at most) and returns what it printed, whatever its exit code. */
  static Result run(List<String> command) {
    ProcessBuilder pb = new ProcessBuilder(command);
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      CompletableFuture<String> err =
          CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
      String out = drain(p.getInputStream());
      if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        fail(command + " did not finish within " + TIMEOUT_S + " s");
      }
      return new Result(p.exitValue(), out, err.join());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot run " + command.get(0) + " (the test set-up installs it)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Runs a command that must succeed (exit code 0). */
  static Result runOk(String... command) {
    Result r = run(List.of(command));
    assertEquals(0, r.exitCode(), String.join(" ", command) + " failed: " + r.stderr());
    return r;
  }

  private static String drain(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs a command of the pydicom reference script (see its docstring). */
  static Result python(String... args) {
    List<String> command = new ArrayList<>(List.of(PYTHON, script().toString()));
    command.addAll(List.of(args));
    return run(command);
  }

  /** Runs a command of the pydicom reference script that must succeed. */
  static JsonObject pythonOk(String... args) {
    Result r = python(args);
    assertEquals(0, r.exitCode(), "pydicom reference " + List.of(args) + " failed: " + r.stderr());
    return r.json();
  }

  private static Path script() {
    try {
      return Path.of(Reference.class.getResource("pydicom_reference.py").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** pydicom's header of a file and its real values (row after row, slice after slice). */
  record Pixels(JsonObject header, double[] values) {}

  /** Reads a file with pydicom: header and pixel_array·slope + intercept. */
  static Pixels pixels(Path file, Path tempDir) throws IOException {
    Path raw = Files.createTempFile(tempDir, "ref", ".raw");
    JsonObject header = pythonOk("pixels", file.toString(), raw.toString());
    return new Pixels(header, readDoubles(raw));
  }

  /** Reads a folder with pydicom, slices sorted by z, stacked. */
  static Pixels stack(Path folder, Path tempDir) throws IOException {
    Path raw = Files.createTempFile(tempDir, "stack", ".raw");
    JsonObject positions = pythonOk("stack", folder.toString(), raw.toString());
    return new Pixels(positions, readDoubles(raw));
  }

  static double[] readDoubles(Path raw) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(raw)).order(ByteOrder.LITTLE_ENDIAN);
    double[] d = new double[b.remaining() / 8];
    b.asDoubleBuffer().get(d);
    return d;
  }

  /** Scans a path and loads its only series. */
  static LoadedSeries loadOnly(Path path) throws BadInputException {
    DicomIndex index = DicomScanner.scan(path, ProgressListener.NONE);
    assertEquals(1, index.allSeries().size(), "series in " + path + ": " + index);
    return SeriesLoader.load(index.allSeries().get(0), ProgressListener.NONE);
  }

  static double[] doubles(JsonObject o, String key) {
    var a = o.getAsJsonArray(key);
    double[] d = new double[a.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = a.get(i).getAsDouble();
    }
    return d;
  }

  /** Asserts that a volume holds exactly the reference values, in the same voxel order. */
  static void assertSameValues(
      double[] expected, org.voxelwise.imaging.volume.Volume v, String what) {
    assertEquals(expected.length, v.geometry().voxelCount(), what + ": voxel count");
    for (int i = 0; i < expected.length; i++) {
      if (v.valueAt(i) != expected[i]) {
        int sx = v.geometry().sizeX();
        int sy = v.geometry().sizeY();
        fail(
            what
                + ": voxel ("
                + i % sx
                + ", "
                + (i / sx) % sy
                + ", "
                + i / (sx * sy)
                + ") is "
                + v.valueAt(i)
                + ", pydicom says "
                + expected[i]);
      }
    }
  }
}
