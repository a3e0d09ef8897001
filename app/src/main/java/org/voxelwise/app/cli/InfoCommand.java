package org.voxelwise.app.cli;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.voxelwise.imaging.BadInputException;
import org.voxelwise.imaging.dicom.DicomIndex;
import org.voxelwise.imaging.dicom.LoadedSeries;
import org.voxelwise.imaging.dicom.PhaseGrouping;
import org.voxelwise.imaging.dicom.SeriesLoader;
import org.voxelwise.imaging.nifti.NiftiReader;
import org.voxelwise.imaging.progress.OperationCancelledException;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.Volume;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code voxelwise info PATH [--json]}: what a DICOM folder, DICOMDIR, DICOM file or NIfTI file
 * holds, series by series, with geometry, warnings and HU statistics.
 *
 * <p>JSON: {@code {"path", "filesExamined", "nonDicomFiles", "warnings": [...], "series": [{
 * "seriesInstanceUid", "studyInstanceUid", "patientId", "seriesNumber", "modality", "description",
 * "files", "rows", "columns", "slices", "phases", "spacing": [x,y,z], "origin": [x,y,z],
 * "warnings": [...], "stats": {"min","max","mean"}} or, for a series that cannot be loaded, the
 * same identity keys and "error"], "phaseGroups": [[seriesInstanceUid, ...], ...]}}. Exit 1 when
 * nothing at the path can be loaded.
 */
@Command(
    name = "info",
    mixinStandardHelpOptions = true,
    description = "Describe the series in a DICOM folder, DICOMDIR, DICOM file or NIfTI file.")
final class InfoCommand implements Callable<Integer> {
  @Parameters(paramLabel = "PATH", description = "DICOM folder, DICOMDIR, DICOM file or .nii[.gz]")
  Path path;

  @Option(names = "--json", description = "Print JSON instead of text.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    try (ConsoleProgress progress = ConsoleProgress.start(spec.commandLine().getErr())) {
      Map<String, Object> report = Inputs.isNifti(path) ? niftiReport() : dicomReport(progress);
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> series = (List<Map<String, Object>>) report.get("series");
      print(report);
      boolean anyLoaded = series.stream().anyMatch(s -> !s.containsKey("error"));
      if (!anyLoaded) {
        spec.commandLine()
            .getErr()
            .println("voxelwise: " + path + ": no series could be loaded: " + firstError(series));
        return VoxelwiseCommand.BAD_INPUT;
      }
      return VoxelwiseCommand.OK;
    } catch (BadInputException e) {
      spec.commandLine().getErr().println("voxelwise: " + e.getMessage());
      return VoxelwiseCommand.BAD_INPUT;
    } catch (IOException e) {
      spec.commandLine()
          .getErr()
          .println("voxelwise: " + path + ": cannot read (" + e.getMessage() + ")");
      return VoxelwiseCommand.BAD_INPUT;
    } catch (OperationCancelledException e) {
      spec.commandLine().getErr().println("voxelwise: cancelled");
      return VoxelwiseCommand.BAD_INPUT;
    }
  }

  /** The error of the first series, and how many more failed, to say why nothing loaded. */
  private static String firstError(List<Map<String, Object>> series) {
    String first = String.valueOf(series.get(0).get("error"));
    return series.size() == 1
        ? first
        : first + " (and " + (series.size() - 1) + " more series that could not be loaded)";
  }

  private Map<String, Object> niftiReport() throws BadInputException, IOException {
    Volume v = NiftiReader.read(path);
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("seriesInstanceUid", "");
    s.put("modality", v.modality());
    s.put("description", path.getFileName().toString());
    s.put("files", 1);
    describe(s, v, 1, List.of());
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("path", path.toString());
    report.put("filesExamined", 1);
    report.put("nonDicomFiles", 0);
    report.put("warnings", List.of());
    report.put("series", List.of(s));
    report.put("phaseGroups", List.of());
    return report;
  }

  private Map<String, Object> dicomReport(ConsoleProgress progress) throws BadInputException {
    DicomIndex index = Inputs.scanDicom(path, progress.part(0, 0.2));
    List<DicomIndex.Series> all = index.allSeries();
    List<Map<String, Object>> series = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      DicomIndex.Series s = all.get(i);
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("seriesInstanceUid", s.seriesInstanceUid());
      entry.put("studyInstanceUid", s.studyInstanceUid());
      entry.put("patientId", s.instances().get(0).patientId());
      entry.put("seriesNumber", s.seriesNumber());
      entry.put("modality", s.modality());
      entry.put("description", s.description());
      entry.put("files", s.instances().size());
      try {
        double from = 0.2 + 0.8 * i / all.size();
        LoadedSeries loaded = SeriesLoader.load(s, progress.part(from, from + 0.8 / all.size()));
        describe(entry, loaded.volume(), loaded.phases().phaseCount(), loaded.warnings());
      } catch (BadInputException e) {
        entry.put("error", e.getMessage());
      }
      series.add(entry);
    }
    List<List<String>> groups = new ArrayList<>();
    for (DicomIndex.Patient p : index.patients()) {
      for (DicomIndex.Study st : p.studies()) {
        for (List<DicomIndex.Series> g : PhaseGrouping.phaseSeriesGroups(st)) {
          groups.add(g.stream().map(DicomIndex.Series::seriesInstanceUid).toList());
        }
      }
    }
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("path", path.toString());
    report.put("filesExamined", index.filesExamined());
    report.put("nonDicomFiles", index.nonDicomFiles());
    report.put("warnings", index.warnings());
    report.put("series", series);
    report.put("phaseGroups", groups);
    return report;
  }

  private static void describe(
      Map<String, Object> entry, Volume v, int phases, List<String> warnings) {
    Geometry g = v.geometry();
    entry.put("rows", g.sizeY());
    entry.put("columns", g.sizeX());
    entry.put("slices", g.sizeZ());
    entry.put("phases", phases);
    entry.put("spacing", g.spacingMm());
    entry.put("origin", g.originMm());
    entry.put("warnings", warnings);
    Volume.Statistics st = v.statistics();
    Map<String, Object> stats = new LinkedHashMap<>();
    stats.put("min", st.min());
    stats.put("max", st.max());
    stats.put("mean", st.mean());
    entry.put("stats", stats);
  }

  @SuppressWarnings("unchecked")
  private void print(Map<String, Object> report) {
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(report));
      out.flush();
      return;
    }
    out.printf(
        Locale.ROOT,
        "%s: %s file(s), %s not DICOM%n",
        report.get("path"),
        report.get("filesExamined"),
        report.get("nonDicomFiles"));
    for (String w : (List<String>) report.get("warnings")) {
      out.println("  warning: " + w);
    }
    for (Map<String, Object> s : (List<Map<String, Object>>) report.get("series")) {
      out.printf(
          Locale.ROOT,
          "series %s  %s  \"%s\"  %s%n",
          s.getOrDefault("seriesNumber", ""),
          s.get("modality"),
          s.get("description"),
          s.get("seriesInstanceUid"));
      if (s.containsKey("error")) {
        out.println("  error: " + s.get("error"));
        continue;
      }
      double[] sp = (double[]) s.get("spacing");
      double[] o = (double[]) s.get("origin");
      Map<String, Object> st = (Map<String, Object>) s.get("stats");
      out.printf(
          Locale.ROOT,
          "  %d×%d×%d voxels, %d phase(s), spacing %.4g×%.4g×%.4g mm, origin (%.2f, %.2f, %.2f) mm%n",
          s.get("columns"),
          s.get("rows"),
          s.get("slices"),
          s.get("phases"),
          sp[0],
          sp[1],
          sp[2],
          o[0],
          o[1],
          o[2]);
      out.printf(
          Locale.ROOT,
          "  values %.1f to %.1f, mean %.1f%n",
          st.get("min"),
          st.get("max"),
          st.get("mean"));
      for (String w : (List<String>) s.get("warnings")) {
        out.println("  warning: " + w);
      }
    }
    for (List<String> g : (List<List<String>>) report.get("phaseGroups")) {
      out.println("4D study of " + g.size() + " phase series: " + String.join(", ", g));
    }
    out.flush();
  }
}
