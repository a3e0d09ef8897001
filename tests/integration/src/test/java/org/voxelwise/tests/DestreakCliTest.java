package org.voxelwise.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxelwise.imaging.dicom.Cbct4dStudy;
import org.voxelwise.imaging.dicom.CtSeriesWriter;
import org.voxelwise.imaging.dicom.DicomIndex;
import org.voxelwise.imaging.dicom.DicomScanner;
import org.voxelwise.imaging.dicom.LoadedSeries;
import org.voxelwise.imaging.dicom.PhaseGrouping;
import org.voxelwise.imaging.dicom.SeriesLoader;
import org.voxelwise.imaging.progress.ProgressListener;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.Volume;
import org.voxelwise.imaging.volume.Volume4D;
import org.voxelwise.segmentation.engine.DeviceChoice;
import org.voxelwise.segmentation.engine.DjlEnvironment;
import org.voxelwise.segmentation.rstar.Rstar4dConfig;
import org.voxelwise.segmentation.rstar.Rstar4dModelCard;
import org.voxelwise.segmentation.rstar.Rstar4dModelFiles;
import org.voxelwise.segmentation.rstar.Rstar4dNet;
import org.voxelwise.segmentation.rstar.StreakReducer;

/**
 * {@code destreak} end to end on a small study from {@code simulate cbct4d}, with a randomly
 * initialised tiny RSTAR4D model (the corrected values are meaningless without trained weights, but
 * they must be the model's output, written and read back as a 4D study): the files, the report, the
 * references, and the bad inputs.
 */
class DestreakCliTest {
  @TempDir static Path dir;
  private static Path model;
  private static Path study;

  @BeforeAll
  static void prepare() throws Exception {
    DjlEnvironment.configure();
    model = dir.resolve("model");
    Rstar4dConfig config = new Rstar4dConfig(new int[] {4, 8}, true, true, 0.2f, true);
    try (Model m = Model.newInstance("rstar4d", Device.cpu(), "PyTorch")) {
      Rstar4dNet net = new Rstar4dNet(config);
      m.setBlock(net);
      net.initialize(m.getNDManager(), DataType.FLOAT32, net.inputShape(1, 3, 2, 16, 16));
      Rstar4dModelFiles.save(
          m,
          new Rstar4dModelCard(
              Rstar4dModelCard.RSTAR4D_ID,
              "0.0.1-test",
              Rstar4dModelCard.Variant.RSTAR4D,
              config,
              Rstar4dModelCard.Stage.BLOCKS_4D,
              Rstar4dModelCard.PAPER_SCALE_HU,
              null,
              Rstar4dModelCard.Training.noneRecorded()),
          model);
    }
    study = dir.resolve("study");
    Cli.ok(
        "simulate",
        "cbct4d",
        "--seed",
        7,
        "--out",
        study,
        "--size",
        "64x64x4",
        "--projections",
        120);
  }

  @Test
  void writesTheCorrectedPhasesAsANew4dStudyAndTheReport() throws Exception {
    Path out = dir.resolve("out");
    Cli.Result r = Cli.ok("destreak", study, "--out", out, "--model", model, "--device", "cpu");
    assertTrue(r.out().contains("Wrote 10 corrected phases"), r::toString);
    List<Path> files = Studies.files(out);
    assertEquals(41, files.size(), "40 images and the report, no temporary files: " + files);
    assertTrue(files.contains(out.resolve("report.json")));

    JsonObject report =
        JsonParser.parseString(Files.readString(out.resolve("report.json"))).getAsJsonObject();
    assertEquals(
        Set.of("model", "device", "phases", "priorSource", "timingsMs", "outputs", "warnings"),
        report.keySet());
    assertEquals(
        Rstar4dModelCard.RSTAR4D_ID, report.getAsJsonObject("model").get("id").getAsString());
    assertEquals("0.0.1-test", report.getAsJsonObject("model").get("version").getAsString());
    assertEquals("cpu", report.get("device").getAsString());
    assertEquals(10, report.get("phases").getAsInt());
    assertEquals("series", report.get("priorSource").getAsString());
    assertEquals(0, report.getAsJsonArray("warnings").size(), report::toString);
    JsonObject timings = report.getAsJsonObject("timingsMs");
    for (String stage : List.of("read", "loadModel", "prepare", "infer", "write")) {
      assertTrue(timings.has(stage), () -> stage + " missing in " + timings);
    }
    JsonArray outputs = report.getAsJsonArray("outputs");
    assertEquals(10, outputs.size());

    // Read back with our importer: one new 4D study of 10 phases on the input's grid, holding
    // the model's output for this input rounded to whole HU.
    Cbct4dStudy input =
        Cbct4dStudy.assemble(
            study, DicomScanner.scan(study, ProgressListener.NONE), ProgressListener.NONE);
    Volume4D expected;
    try (StreakReducer reducer = StreakReducer.open(model, DeviceChoice.CPU)) {
      expected = reducer.reduce(input.phases(), input.prior(), ProgressListener.NONE);
    }
    DicomIndex index = DicomScanner.scan(out.resolve("dicom"), ProgressListener.NONE);
    DicomIndex.Study written = index.patients().get(0).studies().get(0);
    assertTrue(!written.studyInstanceUid().equals(input.source().studyInstanceUid()));
    assertEquals("VW-CBCT4D-7", index.patients().get(0).patientId());
    List<List<DicomIndex.Series>> groups = PhaseGrouping.phaseSeriesGroups(written);
    assertEquals(1, groups.size());
    LoadedSeries back = SeriesLoader.loadPhases(groups.get(0), ProgressListener.NONE);
    assertEquals(10, back.phases().phaseCount());
    for (int p = 0; p < 10; p++) {
      JsonObject o = outputs.get(p).getAsJsonObject();
      assertEquals(
          Set.of("label", "seriesInstanceUid", "seriesDescription", "path", "images"), o.keySet());
      assertEquals(
          groups.get(0).get(p).seriesInstanceUid(), o.get("seriesInstanceUid").getAsString());
      assertEquals(String.format("dicom/phase%02d", p), o.get("path").getAsString());
      assertEquals(4, o.get("images").getAsInt());
      Volume read = back.phases().phases().get(p);
      Volume want = expected.phases().get(p);
      assertTrue(read.geometry().sameGrid(input.phases().geometry(), 1e-4));
      double maxError = 0;
      for (int i = 0; i < want.geometry().voxelCount(); i++) {
        maxError = Math.max(maxError, Math.abs(read.valueAt(i) - want.valueAt(i)));
      }
      assertTrue(maxError <= 0.5 + 1e-3, "phase " + p + ": off by " + maxError + " HU");
    }

    // info sees the output as one 4D study of 10 phase series.
    JsonObject info = Cli.ok("info", out.resolve("dicom"), "--json").json();
    assertEquals(1, info.getAsJsonArray("phaseGroups").size());
    assertEquals(10, info.getAsJsonArray("phaseGroups").get(0).getAsJsonArray().size());
  }

  @Test
  void withoutAPriorSeriesThePhaseAverageIsTheDeclaredPrior() throws Exception {
    Path phasesOnly = copy(study.resolve("phases"), dir.resolve("phases-only"));
    Path out = dir.resolve("out-average");
    Cli.Result r =
        Cli.ok("destreak", phasesOnly, "--out", out, "--model", model, "--device", "cpu");
    assertTrue(r.err().contains("warning: the study has no prior series"), r::toString);
    JsonObject report =
        JsonParser.parseString(Files.readString(out.resolve("report.json"))).getAsJsonObject();
    assertEquals("phase-average", report.get("priorSource").getAsString());
    assertTrue(
        report.getAsJsonArray("warnings").get(0).getAsString().contains("average of the 10"),
        report::toString);
  }

  @Test
  void aSingle3dVolumeIsBadInput() throws Exception {
    Path single = study.resolve("prior");
    assertRefused(single, single, "a single 3D volume (64×64×4), not a 4D study");
  }

  @Test
  void fewerThanThreePhasesAreBadInput() throws Exception {
    Path two = dir.resolve("two-phases");
    copy(study.resolve("phases/phase00"), two.resolve("phase00"));
    copy(study.resolve("phases/phase01"), two.resolve("phase01"));
    assertRefused(two, two, "only 2 phases; destreaking needs at least 3");
  }

  @Test
  void phasesOfDifferentGeometryAreBadInput() throws Exception {
    Path broken = copy(study, dir.resolve("one-slice-missing"));
    Files.delete(broken.resolve("phases/phase03/IM00004.dcm"));
    assertRefused(
        broken,
        broken.resolve("phases/phase03"),
        "phases of different geometry: it has 3 slices, series 1 4");
  }

  @Test
  void aPriorOfAnotherGeometryIsBadInput() throws Exception {
    Path broken = copy(study.resolve("phases"), dir.resolve("coarse-prior").resolve("phases"));
    Geometry g = Geometry.axisAligned(32, 32, 4, new double[] {12, 12, 40}, new double[3]);
    // the same patient, study and frame of reference as the simulated phases (same UID seed)
    CtSeriesWriter.write(
        Volume.ofShorts(g, "CT", new short[32 * 32 * 4]),
        broken.resolveSibling("prior"),
        CtSeriesWriter.Options.builder()
            .uidSeed("cbct4d-7")
            .patientName("Voxelwise^Cbct4dPhantom")
            .patientId("VW-CBCT4D-7")
            .seriesNumber(100)
            .seriesDescription("Prior (all projections)")
            .build(),
        ProgressListener.NONE);
    Path root = broken.getParent();
    assertRefused(
        root,
        root.resolve("prior"),
        "the prior does not match the phases' geometry (prior 32×32×4");
  }

  @Test
  void deviceAndModelErrors() {
    Path out = dir.resolve("out-gpu");
    Cli.Result gpu = Cli.run("destreak", study, "--out", out, "--model", model, "--device", "gpu");
    assertEquals(1, gpu.exitCode(), gpu::toString);
    assertEquals(1, gpu.errorLines().size(), gpu::toString);
    assertTrue(gpu.errorLines().get(0).contains("no CUDA GPU"), gpu::toString);
    assertTrue(Files.notExists(out));
    assertEquals(2, Cli.run("destreak", study, "--out", out, "--device", "tpu").exitCode());
    assertEquals(2, Cli.run("destreak", study).exitCode());
    Path notAModel = dir.resolve("study/truth");
    Cli.Result bad = Cli.run("destreak", study, "--out", out, "--model", notAModel);
    Cli.assertBadInput(bad, notAModel, "not a usable RSTAR4D model folder");
  }

  @Test
  void ctrlCCancelsAndLeavesNoOutput() throws Exception {
    Path out = dir.resolve("out-cancelled");
    Path err = dir.resolve("cancel-stderr.txt");
    ProcessBuilder pb =
        new ProcessBuilder(
                Cli.javaCommand(
                    "destreak", study, "--out", out, "--model", model, "--device", "cpu"))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(err.toFile());
    pb.environment().put("OPT_OUT_TRACKING", "true");
    pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
    Process p = pb.start();
    // SIGTERM (as Ctrl-C's SIGINT) at the first progress line (the header scan): seconds before
    // anything is written, whatever the machine's load. (Later lines are throttled to one per
    // 0.5 s, so on a tiny study the run can end before a later one appears.)
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (p.isAlive() && !Files.readString(err).contains("Reading headers")) {
      assertTrue(System.nanoTime() < deadline, "no progress within 120 s");
      Thread.sleep(10);
    }
    p.destroy();
    assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "did not stop");
    String stderr = Files.readString(err);
    assertTrue(p.exitValue() != 0, () -> "exit " + p.exitValue() + "\n" + stderr);
    assertTrue(stderr.contains("voxelwise: cancelled; nothing written"), stderr);
    assertTrue(!stderr.contains("Exception"), stderr);
    if (Files.exists(out)) {
      try (Stream<Path> left = Files.walk(out)) {
        assertEquals(List.of(out), left.toList(), "nothing left in " + out);
      }
    }
    try (Stream<Path> siblings = Files.list(dir)) {
      assertTrue(
          siblings.noneMatch(f -> f.getFileName().toString().startsWith(".")),
          "no hidden temporary folder");
    }
  }

  /**
   * Asserts that {@code destreak input} is bad input (exit 1, one line naming {@code named} and
   * saying {@code problem}) and writes nothing.
   */
  private static void assertRefused(Path input, Path named, String problem) throws IOException {
    Path out = Files.createTempDirectory(dir, "refused").resolve("out");
    Cli.Result r = Cli.run("destreak", input, "--out", out, "--model", model, "--device", "cpu");
    Cli.assertBadInput(r, named, problem);
    assertTrue(Files.notExists(out), "nothing written");
  }

  /** Copies a folder tree; returns the copy. */
  private static Path copy(Path from, Path to) throws IOException {
    List<Path> all = new ArrayList<>();
    try (Stream<Path> s = Files.walk(from)) {
      s.forEach(all::add);
    }
    for (Path p : all) {
      Path target = to.resolve(from.relativize(p).toString());
      if (Files.isDirectory(p)) {
        Files.createDirectories(target);
      } else {
        Files.copy(p, target);
      }
    }
    return to;
  }
}
