package org.voxelwise.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxelwise.imaging.dicom.CtSeriesWriter;
import org.voxelwise.imaging.nifti.NiftiReader;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.Volume;

/**
 * Exit codes and error messages: 0 ok, 1 bad input with one line on stderr naming the path and the
 * problem (no stack trace), 2 usage; failed conversions leave no file behind.
 */
class ExitCodesTest {
  @TempDir Path dir;

  private static Volume small(long seed) {
    return Studies.ct(
        Geometry.axisAligned(48, 40, 5, new double[] {1, 1, 3}, new double[] {-24, -20, 0}), seed);
  }

  /** A folder of non-DICOM files: text, an empty file, random bytes and a fake "DICM" file. */
  private Path nonDicomFolder() throws IOException {
    Path folder = Files.createDirectories(dir.resolve("not-dicom"));
    Files.writeString(folder.resolve("notes.txt"), "not an image\n");
    Files.write(folder.resolve("empty.dcm"), new byte[0]);
    byte[] noise = new byte[4096];
    new Random(5).nextBytes(noise);
    Files.write(folder.resolve("IM0001"), noise);
    return folder;
  }

  /** A series whose every file is cut in the middle of its pixel data. */
  private Path truncatedSeries() throws IOException {
    Path folder = dir.resolve("truncated");
    for (Path f : Studies.write(small(1), folder, "truncated", 1)) {
      try (FileChannel c = FileChannel.open(f, StandardOpenOption.WRITE)) {
        c.truncate(c.size() - 1500);
      }
    }
    return folder;
  }

  /** A series whose every file is cut inside its header. */
  private Path corruptHeaders() throws IOException {
    Path folder = dir.resolve("corrupt");
    for (Path f : Studies.write(small(2), folder, "corrupt", 1)) {
      try (FileChannel c = FileChannel.open(f, StandardOpenOption.WRITE)) {
        c.truncate(400);
      }
    }
    return folder;
  }

  @Test
  void badInputsGiveExitCode1AndOneLine() throws Exception {
    Path missing = dir.resolve("no such folder");
    Path empty = Files.createDirectories(dir.resolve("empty"));
    Path notDicom = nonDicomFolder();
    Path truncated = truncatedSeries();
    Path corrupt = corruptHeaders();
    Path out = Files.createDirectories(dir.resolve("out")).resolve("x.nii.gz");
    for (String command : List.of("info", "convert")) {
      Object[] tail =
          command.equals("info") ? new Object[] {"--json"} : new Object[] {"--out", out};
      Cli.assertBadInput(run(command, missing, tail), missing, "does not exist");
      Cli.assertBadInput(run(command, empty, tail), empty, "no files");
      Cli.assertBadInput(run(command, notDicom, tail), notDicom, "no DICOM images");
      Cli.assertBadInput(run(command, truncated, tail), truncated, "pixel data truncated");
      Cli.assertBadInput(run(command, corrupt, tail), corrupt, "no DICOM images");
    }
    assertEquals(List.of(), Studies.files(out.getParent()), "no output nor temporary file");
  }

  private static Cli.Result run(String command, Path path, Object... tail) {
    Object[] args = new Object[2 + tail.length];
    args[0] = command;
    args[1] = path;
    System.arraycopy(tail, 0, args, 2, tail.length);
    return Cli.run(args);
  }

  @Test
  void usageErrorsGiveExitCode2() throws Exception {
    Path study = dir.resolve("study");
    Studies.write(small(3), study, "usage", 1);
    Path out = Files.createDirectories(dir.resolve("out"));
    List<Cli.Result> results =
        List.of(
            Cli.run("info", study, "--no-such-option"),
            Cli.run("no-such-command", study),
            Cli.run("info"),
            Cli.run("convert", study),
            Cli.run("convert", study, "--out"),
            Cli.run("convert", study, "--out", out.resolve("x.nrrd")),
            Cli.run("convert", study, "--out", out.resolve("x.nii.zip")),
            Cli.run("convert", study, "--out", out.resolve("x.nii"), "--phase", "one"),
            Cli.run("simulate", "phantom", "--seed", "three", "--out", out));
    for (Cli.Result r : results) {
      assertEquals(2, r.exitCode(), r::toString);
      assertTrue(r.out().isEmpty(), r::toString);
      Cli.assertNoStackTrace(r);
    }
    assertEquals(List.of(), Studies.files(out), "no output nor temporary file");
  }

  @Test
  void convertOfTwoSeriesNeedsSeries() throws Exception {
    Path study = dir.resolve("study");
    Volume first = small(4);
    Volume second = small(5);
    Studies.write(first, study.resolve("one"), "choose", 1);
    Studies.write(second, study.resolve("two"), "choose", 2);
    CtSeriesWriter.Options o1 = Studies.options("choose", 1);
    CtSeriesWriter.Options o2 = Studies.options("choose", 2);
    Path outDir = Files.createDirectories(dir.resolve("out"));
    Path out = outDir.resolve("chosen.nii.gz");

    Cli.Result r = Cli.run("convert", study, "--out", out);
    Cli.assertBadInput(r, study, "--series");
    String line = r.errorLines().get(0);
    for (String choice : List.of(o1.seriesInstanceUid(), o2.seriesInstanceUid(), "1 = ", "2 = ")) {
      assertTrue(line.contains(choice), () -> "the choices must include " + choice + "\n" + r);
    }
    Cli.assertBadInput(Cli.run("convert", study, "--out", out, "--series", 7), study, "7");
    assertEquals(List.of(), Studies.files(outDir), "no output nor temporary file");

    Cli.ok("convert", study, "--out", out, "--series", 2);
    assertEquals(Studies.sha256OfFloats(second), Studies.sha256OfFloats(NiftiReader.read(out)));
    Cli.ok("convert", study, "--out", out, "--series", o1.seriesInstanceUid());
    assertEquals(Studies.sha256OfFloats(first), Studies.sha256OfFloats(NiftiReader.read(out)));
    assertEquals(List.of(out), Studies.files(outDir));
  }

  /** The same as a real process: exit codes, and nothing on stderr but the one line. */
  @Test
  void asAProcess() throws Exception {
    Path study = dir.resolve("study");
    Studies.write(small(6), study, "process", 1);
    Path missing = dir.resolve("missing");
    Path truncated = truncatedSeries();

    Cli.Result ok = Cli.java("info", study);
    assertEquals(0, ok.exitCode(), ok::toString);
    assertTrue(ok.out().contains("48×40×5 voxels"), ok::toString);

    Map<Path, String> problems =
        Map.of(missing, "does not exist", truncated, "pixel data truncated");
    for (Map.Entry<Path, String> bad : problems.entrySet()) {
      Cli.Result r = Cli.java("info", bad.getKey());
      Cli.assertBadInput(r, bad.getKey(), bad.getValue());
      assertEquals(r.errorLines(), onlyErrorLines(r), "nothing else on stderr but progress");
    }
    Cli.Result usage = Cli.java("convert", study, "--out", dir.resolve("x.txt"));
    assertEquals(2, usage.exitCode(), usage::toString);
    Cli.assertNoStackTrace(usage);
  }

  /** Lines of stderr that are not progress lines (which end in a percentage). */
  private static List<String> onlyErrorLines(Cli.Result r) {
    return r.err().lines().filter(l -> !l.matches(".*\\(\\d+%\\)$")).toList();
  }
}
