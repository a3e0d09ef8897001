package org.voxelwise.app.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import org.voxelwise.imaging.BadInputException;
import org.voxelwise.imaging.dicom.CtSeriesWriter;
import org.voxelwise.imaging.dicom.DicomIndex;
import org.voxelwise.imaging.dicom.DicomScanner;
import org.voxelwise.imaging.dicom.SegmentationSource;
import org.voxelwise.imaging.dicom.SegmentationWriter;
import org.voxelwise.imaging.nifti.NiftiWriter;
import org.voxelwise.imaging.progress.ProgressListener;
import org.voxelwise.imaging.simulate.AbdominalPhantom;
import org.voxelwise.imaging.simulate.AbdominalPhantom.Description;
import org.voxelwise.imaging.simulate.AbdominalPhantom.Parameters;
import org.voxelwise.imaging.simulate.AbdominalPhantom.Study;
import org.voxelwise.imaging.simulate.AbdominalPhantom.Tumor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code voxelwise simulate ct --seed N --out DIR [--size XxYxZ] [--spacing XxYxZ]}: an abdominal
 * CT phantom with liver and tumor labels ({@link AbdominalPhantom}), deterministic from the seed.
 * Writes {@code DIR/ct/} (a DICOM CT series whose UIDs derive from the seed), {@code
 * DIR/labels.nii.gz} (uint8: 0 background, 1 liver, 2 tumor), {@code DIR/seg.dcm} (the same labels
 * as a DICOM SEG of that series) and {@code DIR/case.json} (the case description). Every file is
 * written under a temporary name and moved into place.
 */
@Command(
    name = "ct",
    mixinStandardHelpOptions = true,
    description =
        "An abdominal CT phantom with liver and tumor labels: DIR/ct/ (DICOM CT),"
            + " DIR/labels.nii.gz, DIR/seg.dcm (DICOM SEG) and DIR/case.json.")
final class SimulateCtCommand implements Callable<Integer> {
  /** SegmentAlgorithmName of the ground-truth SEG. */
  static final String SIMULATOR = "Voxelwise AbdominalPhantom (simulated ground truth)";

  @Option(names = "--seed", required = true, description = "Random seed of the case.")
  long seed;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
  Path out;

  @Option(
      names = "--size",
      defaultValue = "256x256x100",
      paramLabel = "XxYxZ",
      description = "Columns, rows and slices (default ${DEFAULT-VALUE}).")
  String size;

  @Option(
      names = "--spacing",
      defaultValue = "1.5x1.5x2.5",
      paramLabel = "XxYxZ",
      description = "Voxel spacing in mm (default ${DEFAULT-VALUE}).")
  String spacing;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Parameters parameters = parameters();
    return GuardedWork.run(
        spec,
        out,
        progress -> {
          Study study = AbdominalPhantom.generate(parameters, seed, progress.part(0, 0.5));
          Description d = study.description();
          CtSeriesWriter.Options options =
              CtSeriesWriter.Options.builder()
                  .uidSeed("abdominal-ct-" + seed)
                  .patientName("Voxelwise^AbdominalPhantom")
                  .patientId("VW-ABDOMEN-" + seed)
                  .studyDescription("Abdominal CT phantom (seed " + seed + ")")
                  .seriesDescription("Abdomen " + phaseName(d) + ", liver with tumors")
                  .bodyPartExamined("ABDOMEN")
                  .build();
          List<Path> files =
              CtSeriesWriter.write(study.ct(), out.resolve("ct"), options, progress.part(0.5, 0.9));
          NiftiWriter.write(study.labels(), out.resolve("labels.nii.gz"));
          writeSeg(study, options, seed, out, progress.part(0.9, 0.98));
          writeAtomically(out.resolve("case.json"), caseJson(d));
          progress.update(1, "Done");
          spec.commandLine()
              .getErr()
              .printf(
                  "Wrote %d DICOM files to %s, labels.nii.gz, seg.dcm and case.json (%s, liver"
                      + " %.0f mL, %d tumors)%n",
                  files.size(),
                  out.resolve("ct"),
                  phaseName(d),
                  d.liverVolumeMl(),
                  d.tumors().size());
          return VoxelwiseCommand.OK;
        });
  }

  /**
   * Writes the ground truth as {@code DIR/seg.dcm}: a DICOM SEG of the series just written in
   * {@code DIR/ct}, segments AUTOMATIC by {@value #SIMULATOR} (the labels are computed by the
   * simulator, not drawn by a person), with UIDs from the CT's seed and the CT's fixed date, so
   * that it is byte-identical for a seed.
   */
  private static void writeSeg(
      Study study, CtSeriesWriter.Options ctOptions, long seed, Path out, ProgressListener progress)
      throws BadInputException, IOException {
    DicomIndex.Series series =
        DicomScanner.scan(out.resolve("ct"), ProgressListener.NONE).allSeries().get(0);
    SegmentationSource source = SegmentationSource.of(series, study.ct().geometry());
    SegmentationWriter.Options options =
        SegmentationWriter.Options.builder()
            .uidSeed(ctOptions.uidSeed())
            .dateTime(ctOptions.dateTime())
            .algorithm(SegmentationWriter.AlgorithmType.AUTOMATIC, SIMULATOR)
            .seriesNumber(100)
            .seriesDescription("Ground truth: liver and tumors (seed " + seed + ")")
            .contentLabel("GROUND_TRUTH")
            .build();
    SegmentationWriter.write(study.labels(), source, out.resolve("seg.dcm"), options, progress);
  }

  private Parameters parameters() {
    return phantomParameters(spec, size, spacing);
  }

  /**
   * The phantom parameters of {@code --size XxYxZ} and {@code --spacing XxYxZ}.
   *
   * @throws ParameterException (exit code 2) when either does not parse or is out of range
   */
  static Parameters phantomParameters(CommandSpec spec, String size, String spacing) {
    int[] n = XyzOption.size(spec, "--size", size, "256x256x100");
    double[] s = XyzOption.spacing(spec, "--spacing", spacing, "1.5x1.5x2.5");
    try {
      return Parameters.defaults().withSize(n[0], n[1], n[2]).withSpacing(s);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private static String phaseName(Description d) {
    return d.phase().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
  }

  /** The case description as JSON: what {@code case.json} holds. */
  static String caseJson(Description d) {
    JsonObject o = new JsonObject();
    o.addProperty("seed", d.seed());
    o.addProperty("contrastPhase", d.phase().name());
    o.addProperty("liverVolumeMl", round(d.liverVolumeMl(), 1));
    o.addProperty("liverHu", round(d.liverHu(), 1));
    JsonArray tumors = new JsonArray();
    for (Tumor t : d.tumors()) {
      JsonObject j = new JsonObject();
      JsonArray c = new JsonArray();
      for (double v : t.centreMm()) {
        c.add(round(v, 1));
      }
      j.add("centreMm", c);
      j.addProperty("diameterMm", round(t.diameterMm(), 1));
      j.addProperty("volumeMl", round(t.volumeMl(), 3));
      j.addProperty("hu", round(t.hu(), 1));
      j.addProperty("contrastHu", round(t.contrastHu(), 1));
      j.addProperty("kind", t.hypodense() ? "hypodense" : "hyperdense");
      j.addProperty("atEdge", t.atEdge());
      j.addProperty("necroticCore", t.necroticCore());
      tumors.add(j);
    }
    o.add("tumors", tumors);
    o.addProperty("noiseSigmaHu", round(d.noiseSigmaHu(), 2));
    JsonArray blur = new JsonArray();
    for (double b : d.blurSigmaVoxels()) {
      blur.add(round(b, 3));
    }
    o.add("blurSigmaVoxels", blur);
    JsonObject hu = new JsonObject();
    d.tissueHu().keySet().stream()
        .sorted()
        .forEach(k -> hu.addProperty(k, round(d.tissueHu().get(k), 1)));
    o.add("tissueHu", hu);
    return new GsonBuilder().setPrettyPrinting().create().toJson(o) + "\n";
  }

  private static double round(double v, int decimals) {
    double f = Math.pow(10, decimals);
    return Math.round(v * f) / f;
  }

  private static void writeAtomically(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".part");
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
