package org.voxelwise.app.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.voxelwise.imaging.BadInputException;
import org.voxelwise.imaging.dicom.Cbct4dStudy;
import org.voxelwise.imaging.dicom.DerivedPhasesWriter;
import org.voxelwise.imaging.volume.Volume4D;
import org.voxelwise.segmentation.engine.DeviceChoice;
import org.voxelwise.segmentation.rstar.Rstar4dModelFiles;
import org.voxelwise.segmentation.rstar.StreakReducer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code voxelwise destreak PATH --out DIR [--device auto|cpu|gpu] [--model DIR]}: reduces the
 * streaks of a 4D CBCT study with RSTAR4D ({@link StreakReducer}).
 *
 * <p>Reads the one 4D study under PATH and its prior ({@link Cbct4dStudy#assemble}: a prior series
 * of the study, else the average of the phases), and writes {@code DIR/dicom/phaseNN/} (the
 * corrected phases as a new derived DICOM 4D study, {@link DerivedPhasesWriter}) and {@code
 * DIR/report.json}: {@code model} {id, version}, {@code device}, {@code phases}, {@code
 * priorSource} ("series" or "phase-average"), {@code timingsMs} {stage: ms}, {@code outputs}
 * [{label, seriesInstanceUid, seriesDescription, path (relative to DIR), images}] and {@code
 * warnings}. Each appears complete or not at all; Ctrl-C leaves neither. Exit 1 for a path without
 * a usable 4D study (a single 3D volume, fewer than 3 phases, phases or prior of different
 * geometry), a model folder that cannot be used, or {@code --device gpu} without a GPU.
 */
@Command(
    name = "destreak",
    mixinStandardHelpOptions = true,
    description = {
      "Reduce the streak artifacts of a 4D CBCT study with RSTAR4D.",
      "Writes the corrected phases as a new DICOM 4D study in DIR/dicom and DIR/report.json."
    })
final class DestreakCommand implements Callable<Integer> {
  /** The folder of the corrected study in the output folder. */
  static final String DICOM_FOLDER = "dicom";

  /** The report file in the output folder. */
  static final String REPORT_FILE = "report.json";

  @Parameters(
      paramLabel = "PATH",
      description =
          "DICOM folder, DICOMDIR or file holding one 4D study (phases and an optional prior)")
  Path path;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
  Path out;

  @Option(
      names = "--model",
      paramLabel = "DIR",
      description = "Model folder saved by `voxelwise train rstar4d`; default: the built-in model.")
  Path model;

  @Mixin DeviceOption device;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    DeviceChoice choice = device.choice(spec);
    return EvaluateCommand.guarded(spec, out, progress -> destreak(choice, progress));
  }

  private int destreak(DeviceChoice choice, ConsoleProgress progress)
      throws BadInputException, IOException {
    PrintWriter err = spec.commandLine().getErr();
    Map<String, Long> timings = new LinkedHashMap<>();
    long t = System.nanoTime();
    Cbct4dStudy study =
        Cbct4dStudy.assemble(
            path, Inputs.scanDicom(path, progress.part(0, 0.02)), progress.part(0.02, 0.1));
    study.warnings().forEach(w -> err.println("warning: " + w));
    t = SegmentCommand.lap(timings, "read", t);
    progress.update(0.1, "Loading the model");
    try (StreakReducer reducer = open(choice)) {
      t = SegmentCommand.lap(timings, "loadModel", t);
      Volume4D corrected = reducer.reduce(study.phases(), study.prior(), progress.part(0.12, 0.9));
      reducer.timingsMs().forEach(timings::put);
      reducer.warnings().forEach(w -> err.println("warning: " + w));
      t = System.nanoTime();
      progress.update(0.9, "Writing " + out.resolve(DICOM_FOLDER));
      Files.createDirectories(out);
      DerivedPhasesWriter.Written written =
          DerivedPhasesWriter.write(
              study,
              corrected,
              out.resolve(DICOM_FOLDER),
              new DerivedPhasesWriter.Derivation(
                  "RSTAR4D",
                  "Streak artifacts reduced by RSTAR4D model "
                      + reducer.modelId()
                      + " "
                      + reducer.modelVersion()
                      + " with a prior from "
                      + (study.priorSource() == Cbct4dStudy.PriorSource.SERIES
                          ? "the prior series"
                          : "the average of the phases"),
                  LocalDateTime.now().truncatedTo(ChronoUnit.SECONDS)),
              progress.part(0.9, 0.99));
      SegmentCommand.lap(timings, "write", t);
      JsonObject report = report(reducer, study, timings, written);
      SegmentCommand.writeAtomically(
          out.resolve(REPORT_FILE), new GsonBuilder().setPrettyPrinting().create().toJson(report));
      progress.update(1, "Wrote " + out);
      PrintWriter stdout = spec.commandLine().getOut();
      stdout.println(
          "Wrote "
              + written.series().size()
              + " corrected phases to "
              + out.resolve(DICOM_FOLDER)
              + " (study "
              + written.studyInstanceUid()
              + ")");
      stdout.flush();
      return VoxelwiseCommand.OK;
    }
  }

  /**
   * The reducer of {@code --model}, or of the built-in model.
   *
   * @throws BadInputException when there is no built-in model, or the folder holds no usable model
   */
  private StreakReducer open(DeviceChoice choice) throws BadInputException, IOException {
    Path dir = model;
    if (dir == null) {
      dir =
          Rstar4dModelFiles.builtIn()
              .orElseThrow(
                  () ->
                      new BadInputException(
                          "--model",
                          "this build has no built-in RSTAR4D model; name a model folder made by"
                              + " 'voxelwise train rstar4d'"));
    }
    try {
      return StreakReducer.open(dir, choice);
    } catch (IOException e) {
      throw new BadInputException(
          dir, "not a usable RSTAR4D model folder (" + e.getMessage() + ")");
    }
  }

  private JsonObject report(
      StreakReducer reducer,
      Cbct4dStudy study,
      Map<String, Long> timings,
      DerivedPhasesWriter.Written written) {
    JsonObject report = new JsonObject();
    JsonObject m = new JsonObject();
    m.addProperty("id", reducer.modelId());
    m.addProperty("version", reducer.modelVersion());
    report.add("model", m);
    report.addProperty("device", reducer.deviceName());
    report.addProperty("phases", study.phases().phaseCount());
    report.addProperty("priorSource", study.priorSource().key());
    JsonObject t = new JsonObject();
    timings.forEach(t::addProperty);
    report.add("timingsMs", t);
    JsonArray outputs = new JsonArray();
    for (DerivedPhasesWriter.WrittenSeries s : written.series()) {
      JsonObject o = new JsonObject();
      o.addProperty("label", s.label());
      o.addProperty("seriesInstanceUid", s.seriesInstanceUid());
      o.addProperty("seriesDescription", s.seriesDescription());
      o.addProperty("path", out.relativize(s.folder()).toString());
      o.addProperty("images", s.images());
      outputs.add(o);
    }
    report.add("outputs", outputs);
    JsonArray warnings = new JsonArray();
    study.warnings().forEach(warnings::add);
    reducer.warnings().forEach(warnings::add);
    report.add("warnings", warnings);
    return report;
  }
}
