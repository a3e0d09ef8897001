package org.voxelwise.app.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.voxelwise.imaging.BadInputException;
import org.voxelwise.imaging.simulate.AbdominalPhantom;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.LiverTumorLabels;
import org.voxelwise.segmentation.engine.DeviceChoice;
import org.voxelwise.segmentation.hdenseunet.HDenseUNetModelDirectory;
import org.voxelwise.segmentation.hdenseunet.LiverTumorSegmenter;
import org.voxelwise.segmentation.metrics.SegmentationMetrics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code voxelwise evaluate …}: models measured on simulated cases they never saw in training. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = "Measure a model on simulated cases (seeds from 10000 up are never trained on).",
    subcommands = {EvaluateCommand.Segmentation.class})
final class EvaluateCommand {

  /**
   * {@code voxelwise evaluate segmentation --seeds A-B [--json] [--model DIR] [--device D] [--size
   * XxYxZ] [--spacing XxYxZ]}: generates the abdominal phantom for each seed, segments it with
   * {@link LiverTumorSegmenter} and compares with the phantom's labels. Liver is compared as liver
   * plus tumor (labels 1 and 2, as LiTS does), tumor as label 2. JSON: {@code {"cases": n, "liver":
   * {"dicePerCase", "diceGlobal", "hd95Mm", "volumeErrorPct"}, "tumor": {same}}}.
   */
  @Command(
      name = "segmentation",
      mixinStandardHelpOptions = true,
      description = {
        "Segment abdominal phantom cases and compare with their true labels.",
        "dicePerCase: mean of the per-case Dice; diceGlobal: Dice of all cases' voxels pooled;"
            + " hd95Mm: mean 95th-percentile surface distance (mm); volumeErrorPct: mean of"
            + " 100·(predicted − true)/true volume.",
        "Liver is liver + tumor (labels 1 and 2); tumor is label 2. A case without tumor in both"
            + " truth and prediction counts as tumor Dice 1 and HD95 0; HD95 and volume error"
            + " leave out the cases where they are undefined (one side empty; empty truth),"
            + " and are null when no case defines them."
      })
  static final class Segmentation implements Callable<Integer> {
    @Option(
        names = "--seeds",
        required = true,
        paramLabel = "A-B",
        description = "Seeds of the cases, a range A-B or one seed (evaluation: 10000 and up).")
    String seeds;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Option(
        names = "--model",
        paramLabel = "DIR",
        description = "Model folder; default: the built-in model.")
    Path model;

    @Option(
        names = "--device",
        paramLabel = "auto|cpu|gpu",
        defaultValue = "auto",
        description = "Where the network runs (default auto).")
    String device;

    @Option(
        names = "--size",
        defaultValue = "256x256x100",
        paramLabel = "XxYxZ",
        description = "Phantom columns, rows and slices (default ${DEFAULT-VALUE}).")
    String size;

    @Option(
        names = "--spacing",
        defaultValue = "1.5x1.5x2.5",
        paramLabel = "XxYxZ",
        description = "Phantom voxel spacing in mm (default ${DEFAULT-VALUE}).")
    String spacing;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      long[] range = seedRange();
      AbdominalPhantom.Parameters parameters =
          SimulateCtCommand.phantomParameters(spec, size, spacing);
      return GuardedWork.runOnDevice(
          spec,
          model == null ? Path.of(HDenseUNetModelDirectory.BUILT_IN) : model,
          device,
          (choice, progress) -> evaluate(range, parameters, choice, progress));
    }

    private long[] seedRange() {
      String[] parts = seeds.strip().split("-", -1);
      try {
        long a = Long.parseLong(parts[0].strip());
        long b = parts.length == 2 ? Long.parseLong(parts[1].strip()) : a;
        if (parts.length > 2 || a < 0 || b < a) {
          throw new NumberFormatException();
        }
        return new long[] {a, b};
      } catch (NumberFormatException e) {
        throw new ParameterException(
            spec.commandLine(), "--seeds must be A-B with 0 ≤ A ≤ B, or one seed: " + seeds);
      }
    }

    private int evaluate(
        long[] range,
        AbdominalPhantom.Parameters parameters,
        DeviceChoice choice,
        ConsoleProgress progress)
        throws BadInputException, IOException {
      Path dir = model;
      if (dir == null) {
        dir =
            HDenseUNetModelDirectory.builtIn()
                .orElseThrow(
                    () ->
                        new BadInputException(
                            "--model", "this build has no built-in model; name a model folder"));
      }
      int n = (int) (range[1] - range[0] + 1);
      Tally liver = new Tally();
      Tally tumor = new Tally();
      try (LiverTumorSegmenter segmenter = LiverTumorSegmenter.open(dir, choice)) {
        for (int c = 0; c < n; c++) {
          long seed = range[0] + c;
          double from = (double) c / n;
          double to = (double) (c + 1) / n;
          progress.update(from, "Case " + seed + " (" + (c + 1) + " of " + n + ")");
          AbdominalPhantom.Study study =
              AbdominalPhantom.generate(parameters, seed, progress.part(from, from + 0.1 / n));
          LiverTumorSegmenter.Result r =
              segmenter.segment(study.ct(), "case " + seed, progress.part(from + 0.1 / n, to));
          Geometry g = study.ct().geometry();
          byte[] truth = study.labels().values();
          byte[] predicted = r.labels().values();
          liver.add(atLeast(predicted, 1), atLeast(truth, 1), g);
          tumor.add(
              SegmentationMetrics.mask(predicted, LiverTumorLabels.TUMOR),
              SegmentationMetrics.mask(truth, LiverTumorLabels.TUMOR),
              g);
        }
      }
      progress.update(1, "Evaluated " + n + " cases");
      print(n, liver, tumor);
      return VoxelwiseCommand.OK;
    }

    private void print(int n, Tally liver, Tally tumor) {
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        JsonObject o = new JsonObject();
        o.addProperty("cases", n);
        o.add("liver", liver.json());
        o.add("tumor", tumor.json());
        out.println(new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(o));
      } else {
        out.println(n + " cases");
        out.println(liver.text("liver"));
        out.println(tumor.text("tumor"));
      }
      out.flush();
    }

    private static boolean[] atLeast(byte[] labels, int value) {
      boolean[] m = new boolean[labels.length];
      for (int i = 0; i < m.length; i++) {
        m[i] = (labels[i] & 0xff) >= value;
      }
      return m;
    }
  }

  /** Running sums of one structure's metrics over the cases. */
  static final class Tally {
    private double diceSum;
    private int cases;
    private long predicted;
    private long reference;
    private long overlap;
    private double hdSum;
    private int hdCases;
    private double volumeSum;
    private int volumeCases;

    void add(boolean[] prediction, boolean[] truth, Geometry g) {
      cases++;
      diceSum += SegmentationMetrics.dice(prediction, truth);
      long[] c = SegmentationMetrics.counts(prediction, truth);
      predicted += c[0];
      reference += c[1];
      overlap += c[2];
      double hd = SegmentationMetrics.hausdorff95Mm(prediction, truth, g);
      if (!Double.isNaN(hd)) {
        hdSum += hd;
        hdCases++;
      }
      double v = SegmentationMetrics.volumeDifferencePercent(prediction, truth);
      if (!Double.isNaN(v)) {
        volumeSum += v;
        volumeCases++;
      }
    }

    Double dicePerCase() {
      return cases == 0 ? null : diceSum / cases;
    }

    Double diceGlobal() {
      return predicted + reference == 0 ? 1.0 : 2.0 * overlap / (predicted + reference);
    }

    Double hd95Mm() {
      return hdCases == 0 ? null : hdSum / hdCases;
    }

    Double volumeErrorPct() {
      return volumeCases == 0 ? null : volumeSum / volumeCases;
    }

    JsonObject json() {
      JsonObject o = new JsonObject();
      o.addProperty("dicePerCase", dicePerCase());
      o.addProperty("diceGlobal", diceGlobal());
      o.addProperty("hd95Mm", hd95Mm());
      o.addProperty("volumeErrorPct", volumeErrorPct());
      return o;
    }

    String text(String name) {
      return String.format(
          Locale.ROOT,
          "%s: Dice per case %s, global %s, HD95 %s mm, volume error %s %%",
          name,
          format(dicePerCase()),
          format(diceGlobal()),
          format(hd95Mm()),
          format(volumeErrorPct()));
    }

    private static String format(Double d) {
      return d == null ? "n/a" : String.format(Locale.ROOT, "%.3f", d);
    }
  }
}
