package org.voxelwise.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.voxelwise.imaging.simulate.AbdominalPhantom;

/**
 * Measures how the abdominal CT phantom varies over a range of seeds (default parameters): liver
 * volume, tumor count and size, tumor/liver contrast, noise and contrast phases. Prints the table
 * kept in the imaging README.
 */
final class AbdominalVariety {
  private AbdominalVariety() {}

  static void print(long fromSeed, long toSeed) {
    List<Double> liverMl = new ArrayList<>();
    List<Double> tumorCount = new ArrayList<>();
    List<Double> diameters = new ArrayList<>();
    List<Double> hypo = new ArrayList<>();
    List<Double> hyper = new ArrayList<>();
    List<Double> noise = new ArrayList<>();
    Map<String, Integer> phases = new TreeMap<>();
    int atEdge = 0;
    for (long seed = fromSeed; seed <= toSeed; seed++) {
      AbdominalPhantom.Description d =
          AbdominalPhantom.generate(AbdominalPhantom.Parameters.defaults(), seed).description();
      liverMl.add(d.liverVolumeMl());
      tumorCount.add((double) d.tumors().size());
      noise.add(d.noiseSigmaHu());
      phases.merge(d.phase().toString(), 1, Integer::sum);
      for (AbdominalPhantom.Tumor t : d.tumors()) {
        diameters.add(t.diameterMm());
        (t.hypodense() ? hypo : hyper).add(t.contrastHu());
        atEdge += t.atEdge() ? 1 : 0;
      }
    }
    System.out.printf(Locale.ROOT, "seeds %d–%d, default parameters%n", fromSeed, toSeed);
    System.out.println("| quantity | min | 25 % | median | 75 % | max | mean |");
    System.out.println("|---|---|---|---|---|---|---|");
    row("liver volume (mL, tumors included)", liverMl);
    row("tumors per case", tumorCount);
    row("tumor diameter (mm)", diameters);
    row("hypodense tumor − liver (HU)", hypo);
    row("hyperdense tumor − liver (HU)", hyper);
    row("noise σ (HU)", noise);
    System.out.printf(
        Locale.ROOT,
        "%d tumors (%d hypodense, %d hyperdense), %d at the liver's edge; phases %s%n",
        diameters.size(),
        hypo.size(),
        hyper.size(),
        atEdge,
        phases);
  }

  private static void row(String name, List<Double> values) {
    if (values.isEmpty()) {
      System.out.printf(Locale.ROOT, "| %s | – | – | – | – | – | – |%n", name);
      return;
    }
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    System.out.printf(
        Locale.ROOT,
        "| %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f |%n",
        name,
        v[0],
        quantile(v, 0.25),
        quantile(v, 0.5),
        quantile(v, 0.75),
        v[v.length - 1],
        Arrays.stream(v).average().orElse(0));
  }

  private static double quantile(double[] sorted, double q) {
    double pos = q * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
  }
}
