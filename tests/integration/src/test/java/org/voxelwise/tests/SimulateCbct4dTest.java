package org.voxelwise.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxelwise.imaging.dicom.DicomIndex;
import org.voxelwise.imaging.dicom.DicomScanner;
import org.voxelwise.imaging.dicom.LoadedSeries;
import org.voxelwise.imaging.dicom.PhaseGrouping;
import org.voxelwise.imaging.dicom.SeriesLoader;
import org.voxelwise.imaging.nifti.NiftiReader;
import org.voxelwise.imaging.progress.ProgressListener;
import org.voxelwise.imaging.simulate.Cbct4dSimulator;
import org.voxelwise.imaging.volume.Volume;

/**
 * {@code simulate cbct4d}: a 10-phase study and a prior in one DICOM study that dciodvfy accepts
 * and our importer reads back exactly, the ground truth as NIfTI, and scan.json.
 */
class SimulateCbct4dTest {
  @TempDir Path dir;

  @Test
  void writesA4dStudyThatReadsBackExactly() throws Exception {
    Path out = dir.resolve("cbct");
    Cli.Result r =
        Cli.ok(
            "simulate",
            "cbct4d",
            "--seed",
            5,
            "--out",
            out,
            "--size",
            "48x40x3",
            "--projections",
            300);
    assertTrue(r.err().contains("Wrote 10 phase series"), r::toString);
    Cbct4dSimulator.Result expected =
        Cbct4dSimulator.simulate(
            Cbct4dSimulator.Parameters.defaults(5).withSize(48, 40, 3).withProjections(300),
            ProgressListener.NONE);

    DicomIndex index = DicomScanner.scan(out, ProgressListener.NONE);
    assertEquals(1, index.patients().size());
    assertEquals(1, index.patients().get(0).studies().size(), "phases and prior in one study");
    DicomIndex.Study study = index.patients().get(0).studies().get(0);
    assertEquals(11, study.series().size());
    List<List<DicomIndex.Series>> groups = PhaseGrouping.phaseSeriesGroups(study);
    assertEquals(1, groups.size());
    assertEquals(10, groups.get(0).size());
    LoadedSeries phases = SeriesLoader.loadPhases(groups.get(0), ProgressListener.NONE);
    assertEquals(List.of(), phases.warnings());
    for (int p = 0; p < 10; p++) {
      Volume written = expected.phases().phases().get(p);
      Volume read = phases.phases().phases().get(p);
      assertTrue(read.geometry().sameGrid(written.geometry(), 1e-4), read.geometry()::toString);
      assertArrayEquals(written.shortValues(), read.shortValues(), "phase " + p);
      Volume truth =
          NiftiReader.read(out.resolve(String.format("truth/truth_phase%02d.nii.gz", p)));
      assertTrue(truth.geometry().sameGrid(written.geometry(), 1e-4));
      assertArrayEquals(
          expected.truth().phases().get(p).shortValues(), truth.shortValues(), "truth " + p);
    }
    DicomIndex.Series priorSeries =
        study.series().stream().filter(s -> s.seriesNumber() == 100).findFirst().orElseThrow();
    assertEquals("Prior (all projections)", priorSeries.description());
    assertArrayEquals(
        expected.prior().shortValues(),
        SeriesLoader.load(priorSeries, ProgressListener.NONE).volume().shortValues());

    JsonObject scan =
        JsonParser.parseString(Files.readString(out.resolve("scan.json"), StandardCharsets.UTF_8))
            .getAsJsonObject();
    assertEquals(300, scan.get("projections").getAsInt());
    int sum = 0;
    for (int p = 0; p < 10; p++) {
      JsonObject phase = scan.getAsJsonArray("phases").get(p).getAsJsonObject();
      assertEquals(expected.projectionsPerPhase()[p], phase.get("projections").getAsInt());
      assertEquals(p * 10 + "%", phase.get("label").getAsString());
      sum += phase.get("projections").getAsInt();
    }
    assertEquals(300, sum);
    assertEquals(
        expected.signal().cycleCount(),
        scan.getAsJsonObject("breathing").getAsJsonArray("periodsS").size());

    List<String> errors = new ArrayList<>();
    for (Path f : Studies.files(out)) {
      if (f.toString().endsWith(".dcm")) {
        errors.addAll(dciodvfyErrors(f));
      }
    }
    assertEquals(List.of(), errors, "dciodvfy errors");
  }

  @Test
  void badSizeIsAUsageError() {
    Cli.Result r = Cli.run("simulate", "cbct4d", "--out", dir, "--size", "64x64");
    assertEquals(2, r.exitCode(), r::toString);
    Cli.Result few = Cli.run("simulate", "cbct4d", "--out", dir, "--projections", 5);
    assertEquals(2, few.exitCode(), few::toString);
  }

  /** The lines of dciodvfy's output for {@code file} that report an error. */
  private static List<String> dciodvfyErrors(Path file) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("/usr/bin/dciodvfy", file.toString()).redirectErrorStream(true).start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int code = p.waitFor();
    List<String> errors = new ArrayList<>();
    if (code != 0) {
      errors.add(file + ": exit status " + code);
    }
    text.lines().filter(l -> l.contains("Error")).forEach(l -> errors.add(file + ": " + l));
    return errors;
  }
}
