package org.voxelwise.app.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.voxelwise.imaging.BadInputException;
import org.voxelwise.imaging.simulate.AbdominalPhantom;
import org.voxelwise.imaging.simulate.Cbct4dSimulator;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.LiverTumorLabels;
import org.voxelwise.imaging.volume.Volume4D;
import org.voxelwise.segmentation.engine.DeviceChoice;
import org.voxelwise.segmentation.engine.GpuUnavailableException;
import org.voxelwise.segmentation.hdenseunet.HDenseUNetModelDirectory;
import org.voxelwise.segmentation.hdenseunet.LiverTumorSegmenter;
import org.voxelwise.segmentation.metrics.SegmentationMetrics;
import org.voxelwise.segmentation.rstar.Rstar4dModelFiles;
import org.voxelwise.segmentation.rstar.StreakReducer;
import org.voxelwise.segmentation.train.Cbct4dCase;
import org.voxelwise.segmentation.train.StreakScores;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code voxelwise evaluate …}: models measured on simulated cases they never saw in training. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = "Measure a model on simulated cases (seeds from 10000 up are never trained on).",
    subcommands = {EvaluateCommand.Segmentation.class, EvaluateCommand.Destreak.class})
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
    @Mixin CaseOptions selection;

    @Option(
        names = "--model",
        paramLabel = "DIR",
        description = "Model folder; default: the built-in model.")
    Path model;

    @Mixin DeviceOption device;

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
      long[] range = seedRange(spec, selection.seeds);
      AbdominalPhantom.Parameters parameters =
          SimulateCtCommand.phantomParameters(spec, size, spacing);
      DeviceChoice choice = device.choice(spec);
      return guarded(
          spec,
          model == null ? Path.of(HDenseUNetModelDirectory.BUILT_IN) : model,
          progress -> evaluate(range, parameters, choice, progress));
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
      if (selection.json) {
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

  /** The options of every {@code evaluate} command that picks the cases and the output form. */
  static final class CaseOptions {
    @Option(
        names = "--seeds",
        required = true,
        paramLabel = "A-B",
        description = "Seeds of the cases, a range A-B or one seed (evaluation: 10000 and up).")
    String seeds;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;
  }

  /** {@link GuardedWork#run}, with a GPU that is asked for but missing as bad input too. */
  static int guarded(CommandSpec spec, Path ioPath, GuardedWork.Work work) {
    try {
      return GuardedWork.run(spec, ioPath, work);
    } catch (GpuUnavailableException e) {
      spec.commandLine().getErr().println("voxelwise: " + e.getMessage());
      return VoxelwiseCommand.BAD_INPUT;
    }
  }

  /**
   * The seeds of {@code --seeds A-B} (or one seed).
   *
   * @throws ParameterException (exit code 2) when it does not parse
   */
  static long[] seedRange(CommandSpec spec, String seeds) {
    return range(spec, "--seeds", seeds);
  }

  private static long[] range(CommandSpec spec, String option, String seeds) {
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
          spec.commandLine(), option + " must be A-B with 0 ≤ A ≤ B, or one number: " + seeds);
    }
  }

  /**
   * {@code voxelwise evaluate destreak --seeds A-B [--json] [--model DIR] [--ablation DIR]
   * [--device D] [--size XxYxZ] [--projections N] [--slices A-B]}: simulates each 4D CBCT case (or
   * slices A to B of it) ({@link Cbct4dSimulator}, default geometry), corrects its phases with the
   * RSTAR4D model and the 3D ablation ({@link StreakReducer}) and scores per-phase FBP, the prior
   * (as every phase's image), the ablation and RSTAR4D against the truth inside the body ({@link
   * StreakScores}, each phase on its own, then averaged over phases and cases). A method without a
   * model (no --ablation or --model and no built-in one) is left out, with a note on stderr. JSON:
   * {@code {"cases": n, "methods": {"fbp"|"prior"|"ablation3d"|"rstar4d": {"psnr", "ssim",
   * "rmse"}}}}.
   */
  @Command(
      name = "destreak",
      mixinStandardHelpOptions = true,
      description = {
        "Simulate 4D CBCT cases and compare per-phase FBP, the prior, the 3D ablation and RSTAR4D"
            + " with the true phases.",
        "Inside the body: psnr (dB, data range 2000 HU), ssim (over the body's bounding box), rmse"
            + " (HU); each phase on its own, averaged over phases and cases. A method without a"
            + " model is left out (with a note)."
      })
  static final class Destreak implements Callable<Integer> {
    @Mixin CaseOptions selection;

    @Option(
        names = "--model",
        paramLabel = "DIR",
        description = "RSTAR4D model folder; default: the built-in model.")
    Path model;

    @Option(
        names = "--ablation",
        paramLabel = "DIR",
        description = "Model folder of the 3D ablation (default: the built-in one).")
    Path ablation;

    @Mixin DeviceOption device;

    @Option(
        names = "--size",
        defaultValue = "256x256x64",
        paramLabel = "XxYxZ",
        description = "The simulated scan's grid (default ${DEFAULT-VALUE}).")
    String size;

    @Option(
        names = "--projections",
        defaultValue = "600",
        description = "Projections per simulated scan (${DEFAULT-VALUE}).")
    int projections;

    @Option(
        names = "--slices",
        paramLabel = "A-B",
        description =
            "Only slices A to B (from 0) of the grid, simulated as a slab of the whole scan (same"
                + " pixels, slice spacing and streaks); default all.")
    String slices;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      long[] range = seedRange(spec, selection.seeds);
      int[] n = XyzOption.size(spec, "--size", size, "256x256x64");
      DeviceChoice choice = device.choice(spec);
      Cbct4dSimulator.Parameters parameters;
      try {
        parameters =
            Cbct4dSimulator.Parameters.defaults(range[0])
                .withSize(n[0], n[1], n[2])
                .withProjections(projections);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
      long[] slab =
          slices == null ? new long[] {0, parameters.sizeZ() - 1} : range(spec, "--slices", slices);
      if (slab[1] >= parameters.sizeZ()) {
        throw new ParameterException(
            spec.commandLine(),
            "--slices must lie within the " + parameters.sizeZ() + " slices: " + slices);
      }
      return guarded(
          spec,
          model == null ? Path.of(Rstar4dModelFiles.BUILT_IN) : model,
          progress -> evaluate(range, slab, parameters, choice, progress));
    }

    private int evaluate(
        long[] range,
        long[] slab,
        Cbct4dSimulator.Parameters parameters,
        DeviceChoice choice,
        ConsoleProgress progress)
        throws BadInputException, IOException {
      PrintWriter err = spec.commandLine().getErr();
      Map<String, StreakReducer> reducers = new LinkedHashMap<>();
      try {
        Path ablationDir =
            ablation != null ? ablation : Rstar4dModelFiles.builtInAblation().orElse(null);
        if (ablationDir != null) {
          reducers.put("ablation3d", open(ablationDir, choice));
        } else {
          err.println("note: no --ablation and no built-in ablation model: ablation3d left out");
        }
        Path rstar = model != null ? model : Rstar4dModelFiles.builtIn().orElse(null);
        if (rstar != null) {
          reducers.put("rstar4d", open(rstar, choice));
        } else {
          err.println(
              "note: no --model and this build ships no built-in RSTAR4D model:"
                  + " rstar4d left out");
        }
        int cases = (int) (range[1] - range[0] + 1);
        Map<String, double[]> sums = new LinkedHashMap<>();
        for (String method : List.of("fbp", "prior", "ablation3d", "rstar4d")) {
          if (method.equals("fbp") || method.equals("prior") || reducers.containsKey(method)) {
            sums.put(method, new double[3]);
          }
        }
        int scored = 0;
        for (int c = 0; c < cases; c++) {
          long seed = range[0] + c;
          double from = (double) c / cases;
          double step = 1.0 / cases / (1 + reducers.size());
          progress.update(from, "Case " + seed + " (" + (c + 1) + " of " + cases + ")");
          Cbct4dSimulator.Result r =
              Cbct4dSimulator.simulate(
                  parameters.withSeed(seed),
                  (int) slab[0],
                  (int) (slab[1] - slab[0] + 1),
                  progress.part(from, from + step));
          Geometry g = r.prior().geometry();
          float[][] truth = floats(r.truth());
          boolean[] body = Cbct4dCase.bodyMask(truth, g);
          Map<String, float[][]> images = new LinkedHashMap<>();
          images.put("fbp", floats(r.phases()));
          float[][] prior = new float[truth.length][];
          Arrays.fill(prior, r.prior().toFloatArray());
          images.put("prior", prior);
          int k = 1;
          for (Map.Entry<String, StreakReducer> e : reducers.entrySet()) {
            double a = from + k * step;
            images.put(
                e.getKey(),
                floats(e.getValue().reduce(r.phases(), r.prior(), progress.part(a, a + step))));
            k++;
          }
          for (int p = 0; p < truth.length; p++) {
            for (Map.Entry<String, float[][]> e : images.entrySet()) {
              StreakScores s =
                  StreakScores.of(
                      new float[][] {e.getValue()[p]}, new float[][] {truth[p]}, body, g);
              double[] sum = sums.get(e.getKey());
              sum[0] += s.psnrDb();
              sum[1] += s.ssim();
              sum[2] += s.rmseHu();
            }
            scored++;
          }
        }
        progress.update(1, "Evaluated " + cases + " cases");
        print(cases, range, sums, scored);
        return VoxelwiseCommand.OK;
      } finally {
        reducers.values().forEach(StreakReducer::close);
      }
    }

    private static StreakReducer open(Path dir, DeviceChoice choice) throws BadInputException {
      try {
        return StreakReducer.open(dir, choice);
      } catch (IOException e) {
        String reason = e.getMessage().replace(dir + ": ", "");
        throw new BadInputException(dir, "not a usable RSTAR4D model (" + reason + ")", e);
      }
    }

    private static float[][] floats(Volume4D v) {
      float[][] out = new float[v.phaseCount()][];
      for (int i = 0; i < out.length; i++) {
        out[i] = v.phases().get(i).toFloatArray();
      }
      return out;
    }

    private void print(int cases, long[] range, Map<String, double[]> sums, int scored) {
      PrintWriter out = spec.commandLine().getOut();
      if (selection.json) {
        JsonObject methods = new JsonObject();
        sums.forEach(
            (method, sum) -> {
              JsonObject m = new JsonObject();
              m.addProperty("psnr", sum[0] / scored);
              m.addProperty("ssim", sum[1] / scored);
              m.addProperty("rmse", sum[2] / scored);
              methods.add(method, m);
            });
        JsonObject o = new JsonObject();
        o.addProperty("cases", cases);
        o.add("methods", methods);
        out.println(new GsonBuilder().setPrettyPrinting().create().toJson(o));
      } else {
        out.printf(
            Locale.ROOT,
            "%d cases (seeds %d-%d); inside the body, each phase, mean over phases and cases%n",
            cases,
            range[0],
            range[1]);
        out.printf(Locale.ROOT, "%-11s %8s %7s %8s%n", "method", "PSNR dB", "SSIM", "RMSE HU");
        sums.forEach(
            (method, sum) ->
                out.printf(
                    Locale.ROOT,
                    "%-11s %8.2f %7.4f %8.1f%n",
                    method,
                    sum[0] / scored,
                    sum[1] / scored,
                    sum[2] / scored));
      }
      out.flush();
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
