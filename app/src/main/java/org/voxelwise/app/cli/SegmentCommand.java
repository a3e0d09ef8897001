package org.voxelwise.app.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.voxelwise.imaging.BadInputException;
import org.voxelwise.imaging.dicom.DicomIndex;
import org.voxelwise.imaging.dicom.SegmentationSource;
import org.voxelwise.imaging.dicom.SegmentationWriter;
import org.voxelwise.imaging.nifti.NiftiReader;
import org.voxelwise.imaging.nifti.NiftiWriter;
import org.voxelwise.imaging.progress.ProgressListener;
import org.voxelwise.imaging.volume.LabelVolume;
import org.voxelwise.imaging.volume.Volume;
import org.voxelwise.segmentation.engine.DeviceChoice;
import org.voxelwise.segmentation.hdenseunet.HDenseUNetModelDirectory;
import org.voxelwise.segmentation.hdenseunet.LiverTumorSegmenter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code voxelwise segment PATH --out DIR [--model DIR] [--device auto|cpu|gpu] [--series
 * UID|NUMBER]}: liver and tumors of a CT series with H-DenseUNet ({@link LiverTumorSegmenter}).
 * Writes {@code DIR/labels.nii.gz} (uint8, 1 liver, 2 tumor, on the input's geometry), for DICOM
 * input {@code DIR/seg.dcm} (a DICOM SEG in the input's study referring to its images, segments
 * AUTOMATIC by "model-id version") and {@code DIR/report.json} ({@code model} {id, version}, {@code
 * device}, {@code labels} [{value, name, voxels, volumeMl}], {@code timingsMs}, {@code outputs}
 * [file names written], {@code warnings}); each file appears complete or not at all. A NIfTI input
 * has no DICOM patient, study or images to refer to: no SEG is written for it, and a warning says
 * so. Exit 1 for bad input, a model folder that cannot be used, or {@code --device gpu} without a
 * GPU.
 */
@Command(
    name = "segment",
    mixinStandardHelpOptions = true,
    description = {
      "Segment liver (1) and liver tumors (2) in a CT series with H-DenseUNet.",
      "Writes DIR/labels.nii.gz, DIR/seg.dcm (DICOM input) and DIR/report.json."
    })
final class SegmentCommand implements Callable<Integer> {
  /** The labels file in the output folder. */
  static final String LABELS_FILE = "labels.nii.gz";

  /** The DICOM SEG file in the output folder (DICOM input only). */
  static final String SEG_FILE = "seg.dcm";

  /** The report file in the output folder. */
  static final String REPORT_FILE = "report.json";

  @Parameters(paramLabel = "PATH", description = "DICOM folder, DICOMDIR, DICOM file or .nii[.gz]")
  Path path;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
  Path out;

  @Option(
      names = "--model",
      paramLabel = "DIR",
      description = "Model folder (model.json + parameters); default: the built-in model.")
  Path model;

  @Mixin DeviceOption device;

  @Option(
      names = "--series",
      paramLabel = "UID|NUMBER",
      description = "Which series, when PATH holds several (see `voxelwise info`).")
  String series;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    DeviceChoice choice = device.choice(spec);
    return EvaluateCommand.guarded(spec, out, progress -> segment(choice, progress));
  }

  private int segment(DeviceChoice choice, ConsoleProgress progress)
      throws BadInputException, IOException {
    Map<String, Long> timings = new LinkedHashMap<>();
    long t = System.nanoTime();
    Inputs.Chosen dicom = Inputs.isNifti(path) ? null : readDicom(progress);
    Volume ct = dicom == null ? NiftiReader.read(path) : dicom.loaded().volume();
    t = lap(timings, "read", t);
    Path modelDir = modelDirectory();
    progress.update(0.1, "Loading the model");
    try (LiverTumorSegmenter segmenter = LiverTumorSegmenter.open(modelDir, choice)) {
      t = lap(timings, "loadModel", t);
      LiverTumorSegmenter.Result r =
          segmenter.segment(ct, path.toString(), progress.part(0.12, 0.95));
      timings.putAll(r.timingsMs());
      t = System.nanoTime();
      progress.update(0.96, "Writing " + out);
      Files.createDirectories(out);
      NiftiWriter.write(r.labels(), out.resolve(LABELS_FILE));
      List<String> outputs = new ArrayList<>(List.of(LABELS_FILE));
      List<String> warnings = new ArrayList<>(r.warnings());
      if (dicom == null) {
        warnings.add(
            "no "
                + SEG_FILE
                + ": the input is NIfTI, which has no DICOM patient, study or images for a DICOM"
                + " SEG to refer to");
      } else {
        writeSeg(dicom.series(), segmenter.metadata(), r.labels(), warnings, outputs);
      }
      outputs.add(REPORT_FILE);
      lap(timings, "write", t);
      JsonObject report = report(segmenter.metadata(), r, timings, outputs, warnings);
      writeAtomically(
          out.resolve(REPORT_FILE), new GsonBuilder().setPrettyPrinting().create().toJson(report));
      progress.update(1, "Wrote " + out);
      PrintWriter stdout = spec.commandLine().getOut();
      for (LabelVolume.Label label : r.labels().table()) {
        stdout.printf(
            Locale.ROOT, "%s: %.1f mL%n", label.name(), r.labels().volumeMl(label.value()));
      }
      warnings.forEach(w -> stdout.println("warning: " + w));
      stdout.flush();
      return VoxelwiseCommand.OK;
    }
  }

  private Inputs.Chosen readDicom(ConsoleProgress progress) throws BadInputException {
    Inputs.Chosen chosen =
        Inputs.loadChosen(path, series, progress.part(0, 0.1), spec.commandLine().getErr());
    int phases = chosen.loaded().phases().phaseCount();
    if (phases > 1) {
      throw new BadInputException(
          path.toString(),
          "the series is 4D ("
              + phases
              + " phases); liver/tumor segmentation needs one 3D CT series");
    }
    return chosen;
  }

  /**
   * Writes {@code DIR/seg.dcm}, or adds a warning saying why not when the input series cannot be
   * referred to (e.g. it lacks a FrameOfReferenceUID).
   */
  private void writeSeg(
      DicomIndex.Series source,
      HDenseUNetModelDirectory.Metadata model,
      LabelVolume labels,
      List<String> warnings,
      List<String> outputs)
      throws IOException {
    SegmentationSource reference;
    try {
      reference = SegmentationSource.of(source, labels.geometry());
    } catch (BadInputException e) {
      warnings.add("no " + SEG_FILE + ": " + e.getMessage());
      return;
    }
    String algorithm = model.id() + " " + model.version();
    SegmentationWriter.Options options =
        SegmentationWriter.Options.builder()
            .algorithm(SegmentationWriter.AlgorithmType.AUTOMATIC, clip(algorithm))
            .seriesDescription(clip("Liver and tumors by " + algorithm))
            .contentLabel("LIVER_TUMOR")
            .build();
    SegmentationWriter.write(
        labels, reference, out.resolve(SEG_FILE), options, ProgressListener.NONE);
    outputs.add(SEG_FILE);
  }

  private static String clip(String text) {
    return text.length() <= 64 ? text : text.substring(0, 64);
  }

  private Path modelDirectory() throws BadInputException, IOException {
    if (model != null) {
      return model;
    }
    return HDenseUNetModelDirectory.builtIn()
        .orElseThrow(
            () ->
                new BadInputException(
                    "--model", "this build has no built-in model; name a model folder"));
  }

  static JsonObject report(
      HDenseUNetModelDirectory.Metadata metadata,
      LiverTumorSegmenter.Result r,
      Map<String, Long> timings,
      List<String> outputs,
      List<String> warnings) {
    JsonObject report = new JsonObject();
    JsonObject m = new JsonObject();
    m.addProperty("id", metadata.id());
    m.addProperty("version", metadata.version());
    report.add("model", m);
    report.addProperty("device", r.device());
    JsonArray labels = new JsonArray();
    for (LabelVolume.Label label : r.labels().table()) {
      JsonObject l = new JsonObject();
      l.addProperty("value", label.value());
      l.addProperty("name", label.name());
      l.addProperty("voxels", r.labels().count(label.value()));
      l.addProperty("volumeMl", r.labels().volumeMl(label.value()));
      labels.add(l);
    }
    report.add("labels", labels);
    JsonObject t = new JsonObject();
    timings.forEach(t::addProperty);
    report.add("timingsMs", t);
    JsonArray files = new JsonArray();
    outputs.forEach(files::add);
    report.add("outputs", files);
    JsonArray w = new JsonArray();
    warnings.forEach(w::add);
    report.add("warnings", w);
    return report;
  }

  /** Writes text to a temporary file beside {@code target} and moves it into place. */
  static void writeAtomically(Path target, String text) throws IOException {
    Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Records the milliseconds since {@code start} as {@code step}; returns now (nanoseconds). */
  static long lap(Map<String, Long> timings, String step, long start) {
    long now = System.nanoTime();
    timings.put(step, (now - start) / 1_000_000);
    return now;
  }
}
