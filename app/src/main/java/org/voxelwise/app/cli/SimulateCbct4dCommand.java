package org.voxelwise.app.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import org.voxelwise.imaging.dicom.CtSeriesWriter;
import org.voxelwise.imaging.nifti.NiftiWriter;
import org.voxelwise.imaging.progress.ProgressListener;
import org.voxelwise.imaging.simulate.Cbct4dSimulator;
import org.voxelwise.imaging.simulate.FanBeamGeometry;
import org.voxelwise.imaging.volume.Volume4D;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code voxelwise simulate cbct4d --seed N --out DIR [--size XxYxZ] [--projections N]}: a
 * simulated 4D CBCT study of a breathing thorax ({@link Cbct4dSimulator}), deterministic from the
 * seed, UIDs included.
 *
 * <p>Writes, in one DICOM study (derived CT images, one frame of reference):
 *
 * <ul>
 *   <li>{@code DIR/phases/phaseNN/}: one series per respiratory phase (series numbers 1…10,
 *       descriptions "4D CBCT 0%" … "4D CBCT 90%", temporal positions 1…10 of 10), the phase's
 *       filtered back-projection;
 *   <li>{@code DIR/prior/}: series {@value #PRIOR_SERIES_NUMBER}, "Prior (all projections)", the
 *       reconstruction from all projections, without a temporal position;
 * </ul>
 *
 * and besides it {@code DIR/truth/truth_phaseNN.nii.gz}, the ground truth of each phase as NIfTI on
 * the same grid (kept out of the DICOM study so that it is never mistaken for a scan), and {@code
 * DIR/scan.json}: parameters, scanner geometry, breathing cycles and, per phase, its projections
 * and mean diaphragm displacement.
 */
@Command(
    name = "cbct4d",
    mixinStandardHelpOptions = true,
    description =
        "A simulated 4D CBCT study of a breathing thorax: 10 phase series and a prior as DICOM,"
            + " the ground truth as NIfTI.")
final class SimulateCbct4dCommand implements Callable<Integer> {
  /** Series number of the prior. */
  static final int PRIOR_SERIES_NUMBER = 100;

  @Option(names = "--seed", defaultValue = "1", description = "Random seed (default 1).")
  long seed;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
  Path out;

  @Option(
      names = "--size",
      defaultValue = "256x256x64",
      paramLabel = "XxYxZ",
      description =
          "Voxels of the reconstruction over a 384×384×160 mm field (default 256x256x64).")
  String size;

  @Option(
      names = "--projections",
      defaultValue = "600",
      paramLabel = "N",
      description = "Projections over the 60 s rotation (default 600).")
  int projections;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Cbct4dSimulator.Parameters parameters = parameters();
    return GuardedWork.run(
        spec,
        out,
        progress -> {
          Cbct4dSimulator.Result result =
              Cbct4dSimulator.simulate(parameters, progress.part(0, 0.8));
          write(result, progress.part(0.8, 1));
          spec.commandLine()
              .getErr()
              .println(
                  "Wrote "
                      + result.phases().phaseCount()
                      + " phase series, the prior and the ground truth to "
                      + out);
          return VoxelwiseCommand.OK;
        });
  }

  private Cbct4dSimulator.Parameters parameters() {
    int[] n = XyzOption.size(spec, "--size", size, "256x256x64");
    int x = n[0];
    int y = n[1];
    int z = n[2];
    if (x > 1024 || y > 1024 || z > 512) {
      throw new ParameterException(
          spec.commandLine(), "--size is at most 1024x1024x512, not " + size);
    }
    try {
      return Cbct4dSimulator.Parameters.defaults(seed)
          .withSize(x, y, z)
          .withProjections(projections);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private void write(Cbct4dSimulator.Result result, ProgressListener progress) throws IOException {
    CtSeriesWriter.Options options =
        CtSeriesWriter.Options.builder()
            .uidSeed("cbct4d-" + seed)
            .patientName("Voxelwise^Cbct4dPhantom")
            .patientId("VW-CBCT4D-" + seed)
            .studyDescription("Simulated 4D CBCT (seed " + seed + ")")
            .seriesDescription("4D CBCT")
            .bodyPartExamined("CHEST")
            .seriesNumber(1)
            .derived(true)
            .build();
    CtSeriesWriter.writePhases(
        result.phases(), out.resolve("phases"), options, progress.part(0, 0.8));
    CtSeriesWriter.write(
        result.prior(),
        out.resolve("prior"),
        options.toBuilder()
            .seriesNumber(PRIOR_SERIES_NUMBER)
            .seriesDescription("Prior (all projections)")
            .build(),
        progress.part(0.8, 0.9));
    Path truth = Files.createDirectories(out.resolve("truth"));
    Volume4D truthPhases = result.truth();
    for (int p = 0; p < truthPhases.phaseCount(); p++) {
      progress.checkCancelled();
      NiftiWriter.write(truthPhases.phases().get(p), truth.resolve(truthName(p)));
    }
    progress.update(0.95, "Writing scan.json");
    writeAtomically(out.resolve("scan.json"), scanJson(result));
    progress.update(1, "Done");
  }

  private static String truthName(int phase) {
    return String.format("truth_phase%02d.nii.gz", phase);
  }

  private String scanJson(Cbct4dSimulator.Result result) {
    Cbct4dSimulator.Parameters p = result.parameters();
    JsonObject json = new JsonObject();
    json.addProperty("seed", p.seed());
    json.add("size", numbers(p.sizeX(), p.sizeY(), p.sizeZ()));
    json.add("spacingMm", numbers(p.grid().spacingMm()));
    json.add("originMm", numbers(p.grid().originMm()));
    json.addProperty("projections", p.projections());
    json.addProperty("rotationTimeS", p.rotationTimeS());
    json.addProperty("photonsPerRay", p.photonsPerRay());
    FanBeamGeometry fan = result.fan();
    JsonObject geometry = new JsonObject();
    geometry.addProperty("beam", "fan beam per axial slice, flat detector, 360° circular scan");
    geometry.addProperty("sourceToIsocentreMm", fan.sourceToIsocentreMm());
    geometry.addProperty("sourceToDetectorMm", fan.sourceToDetectorMm());
    geometry.addProperty("detectorBins", fan.bins());
    geometry.addProperty("binWidthAtIsocentreMm", fan.binWidthAtIsocentreMm());
    geometry.addProperty("reconstruction", "filtered back-projection, ramp filter, Hann window");
    json.add("geometry", geometry);
    JsonObject breathing = new JsonObject();
    breathing.addProperty("irregular", p.irregularBreathing());
    breathing.addProperty("cycles", result.signal().cycleCount());
    breathing.add("periodsS", numbers(result.signal().periodsS()));
    breathing.add("amplitudesMm", numbers(result.signal().amplitudesMm()));
    breathing.addProperty(
        "sorting", "phase: 10 equal bins of the peak-to-peak phase, 0% at end-inhale");
    json.add("breathing", breathing);
    JsonArray phases = new JsonArray();
    int[] perPhase = result.projectionsPerPhase();
    double[] displacement = result.meanDisplacementMm();
    List<String> labels = result.phases().phaseLabels();
    for (int i = 0; i < perPhase.length; i++) {
      JsonObject phase = new JsonObject();
      phase.addProperty("label", labels.get(i));
      phase.addProperty("projections", perPhase[i]);
      phase.addProperty("meanDisplacementMm", displacement[i]);
      phase.addProperty("series", String.format("phases/phase%02d", i));
      phase.addProperty("truth", "truth/" + truthName(i));
      phases.add(phase);
    }
    json.add("phases", phases);
    JsonObject prior = new JsonObject();
    prior.addProperty("series", "prior");
    prior.addProperty("seriesNumber", PRIOR_SERIES_NUMBER);
    prior.addProperty("projections", p.projections());
    json.add("prior", prior);
    return new GsonBuilder().setPrettyPrinting().create().toJson(json) + "\n";
  }

  private static JsonArray numbers(double... values) {
    JsonArray a = new JsonArray();
    for (double v : values) {
      a.add(v);
    }
    return a;
  }

  private static JsonArray numbers(int... values) {
    JsonArray a = new JsonArray();
    for (int v : values) {
      a.add(v);
    }
    return a;
  }

  private static void writeAtomically(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
