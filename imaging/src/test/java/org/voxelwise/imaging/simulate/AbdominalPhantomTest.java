package org.voxelwise.imaging.simulate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxelwise.imaging.dicom.CtSeriesWriter;
import org.voxelwise.imaging.dicom.DicomIndex;
import org.voxelwise.imaging.dicom.DicomScanner;
import org.voxelwise.imaging.dicom.LoadedSeries;
import org.voxelwise.imaging.dicom.SeriesLoader;
import org.voxelwise.imaging.progress.ProgressListener;
import org.voxelwise.imaging.simulate.AbdominalPhantom.ContrastPhase;
import org.voxelwise.imaging.simulate.AbdominalPhantom.Description;
import org.voxelwise.imaging.simulate.AbdominalPhantom.Parameters;
import org.voxelwise.imaging.simulate.AbdominalPhantom.Study;
import org.voxelwise.imaging.simulate.AbdominalPhantom.Tumor;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.LabelVolume;
import org.voxelwise.imaging.volume.LiverTumorLabels;
import org.voxelwise.imaging.volume.Volume;

class AbdominalPhantomTest {
  /** The default field of view (384 × 384 × 250 mm) on a coarse grid, for speed. */
  static final Parameters COARSE =
      Parameters.defaults().withSize(96, 96, 40).withSpacing(new double[] {4, 4, 6.25});

  /** The default field of view at half the default resolution in-plane. */
  private static final Parameters MEDIUM =
      Parameters.defaults().withSize(128, 128, 50).withSpacing(new double[] {3, 3, 5});

  @TempDir Path dir;

  @Test
  void sameSeedGivesTheSameStudy() {
    Study a = AbdominalPhantom.generate(COARSE, 5);
    Study b = AbdominalPhantom.generate(COARSE, 5);
    Study c = AbdominalPhantom.generate(COARSE, 6);
    assertArrayEquals(a.ct().shortValues(), b.ct().shortValues());
    assertArrayEquals(a.labels().values(), b.labels().values());
    assertEquals(a.description().liverVolumeMl(), b.description().liverVolumeMl());
    assertEquals(a.description().tumors().size(), b.description().tumors().size());
    assertFalse(java.util.Arrays.equals(a.ct().shortValues(), c.ct().shortValues()));
    assertEquals("CT", a.ct().modality());
    assertEquals(a.ct().geometry(), a.labels().geometry());
    assertEquals(LiverTumorLabels.TABLE, a.labels().table());
  }

  @Test
  void geometryIsCentredAndParametersAreChecked() {
    Geometry g = AbdominalPhantom.geometry(Parameters.defaults());
    assertEquals(256, g.sizeX());
    assertEquals(100, g.sizeZ());
    assertArrayEquals(new double[] {-191.25, -191.25, -133.75}, g.originMm(), 1e-9);
    assertThrows(IllegalArgumentException.class, () -> COARSE.withSize(0, 10, 10));
    assertThrows(IllegalArgumentException.class, () -> COARSE.withSpacing(new double[] {1, 0, 1}));
    assertThrows(IllegalArgumentException.class, () -> COARSE.withNoiseSigmaHu(-1));
  }

  @Test
  void labelsAreLiverAndTumorsInsideTheRightUpperAbdomen() {
    for (long seed = 1; seed <= 4; seed++) {
      Study s = AbdominalPhantom.generate(MEDIUM, seed);
      LabelVolume labels = s.labels();
      Geometry g = labels.geometry();
      int nx = g.sizeX();
      int ny = g.sizeY();
      int nz = g.sizeZ();
      double[] liver = new double[3];
      double[] body = new double[3];
      long liverCount = 0;
      long bodyCount = 0;
      for (int k = 0; k < nz; k++) {
        for (int j = 0; j < ny; j++) {
          for (int i = 0; i < nx; i++) {
            int v = labels.valueAt(i, j, k);
            assertTrue(v <= 2, "label " + v);
            double[] p = g.voxelToPatient(i, j, k);
            if (v != 0) {
              liver[0] += p[0];
              liver[2] += p[2];
              liverCount++;
            }
            if (s.ct().valueAt(i, j, k) > -500) {
              body[0] += p[0];
              body[2] += p[2];
              bodyCount++;
            }
          }
        }
      }
      assertTrue(liverCount > 0);
      assertTumorsTouchTheLiver(labels);
      double liverX = liver[0] / liverCount;
      double bodyX = body[0] / bodyCount;
      assertTrue(
          liverX < bodyX - 30,
          "seed " + seed + ": liver centroid x " + liverX + " not on the right of " + bodyX);
      double top = g.voxelToPatient(0, 0, nz - 1)[2];
      double bottom = g.originMm()[2];
      assertTrue(
          liver[2] / liverCount > (top + bottom) / 2,
          "seed " + seed + ": the liver lies in the upper half of the volume");
      assertEquals(
          s.description().liverVolumeMl(),
          labels.volumeMl(LiverTumorLabels.LIVER) + labels.volumeMl(LiverTumorLabels.TUMOR),
          1e-6);
      double tumorMl = s.description().tumors().stream().mapToDouble(Tumor::volumeMl).sum();
      assertEquals(labels.volumeMl(LiverTumorLabels.TUMOR), tumorMl, 1e-6);
    }
  }

  /**
   * Tumors are drawn only over liver: every 26-connected tumor component lies in the liver mask
   * (labels 1 and 2) and has a liver voxel within 1 voxel of it.
   */
  private static void assertTumorsTouchTheLiver(LabelVolume labels) {
    Geometry g = labels.geometry();
    int nx = g.sizeX();
    int ny = g.sizeY();
    int nz = g.sizeZ();
    boolean[] seen = new boolean[labels.values().length];
    for (int start = 0; start < seen.length; start++) {
      if (seen[start] || labels.valueAt(start) != LiverTumorLabels.TUMOR) {
        continue;
      }
      boolean touches = false;
      java.util.ArrayDeque<Integer> queue = new java.util.ArrayDeque<>(List.of(start));
      seen[start] = true;
      while (!queue.isEmpty()) {
        int v = queue.poll();
        int i = v % nx;
        int j = (v / nx) % ny;
        int k = v / (nx * ny);
        for (int dk = -1; dk <= 1; dk++) {
          for (int dj = -1; dj <= 1; dj++) {
            for (int di = -1; di <= 1; di++) {
              int x = i + di;
              int y = j + dj;
              int z = k + dk;
              if (x < 0 || y < 0 || z < 0 || x >= nx || y >= ny || z >= nz) {
                continue;
              }
              int n = x + nx * (y + ny * z);
              int label = labels.valueAt(n);
              touches |= label == LiverTumorLabels.LIVER;
              if (label == LiverTumorLabels.TUMOR && !seen[n]) {
                seen[n] = true;
                queue.add(n);
              }
            }
          }
        }
      }
      assertTrue(touches, "a tumor lies outside the liver");
    }
  }

  /** Mean CT value over the voxels of {@code label} whose 6 neighbours at distance 2 share it. */
  private static double interiorMean(Study s, int label, int[] box) {
    LabelVolume labels = s.labels();
    Geometry g = labels.geometry();
    double sum = 0;
    long n = 0;
    for (int k = 2; k < g.sizeZ() - 2; k++) {
      for (int j = 2; j < g.sizeY() - 2; j++) {
        for (int i = 2; i < g.sizeX() - 2; i++) {
          if (box != null
              && (i < box[0]
                  || i > box[1]
                  || j < box[2]
                  || j > box[3]
                  || k < box[4]
                  || k > box[5])) {
            continue;
          }
          if (labels.valueAt(i, j, k) == label
              && labels.valueAt(i - 2, j, k) == label
              && labels.valueAt(i + 2, j, k) == label
              && labels.valueAt(i, j - 2, k) == label
              && labels.valueAt(i, j + 2, k) == label
              && labels.valueAt(i, j, k - 1) == label
              && labels.valueAt(i, j, k + 1) == label) {
            sum += s.ct().valueAt(i, j, k);
            n++;
          }
        }
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  @Test
  void organHuFitTheContrastPhase() {
    Parameters noiseless = MEDIUM.withNoiseSigmaHu(0);
    Set<ContrastPhase> phases = EnumSet.noneOf(ContrastPhase.class);
    for (long seed = 1; seed <= 12; seed++) {
      Study s = AbdominalPhantom.generate(noiseless, seed);
      Description d = s.description();
      phases.add(d.phase());
      double liver = interiorMean(s, LiverTumorLabels.LIVER, null);
      double[] range =
          switch (d.phase()) {
            case NON_CONTRAST -> new double[] {50, 70};
            case ARTERIAL -> new double[] {60, 95};
            case PORTAL_VENOUS -> new double[] {90, 130};
            case DELAYED -> new double[] {80, 105};
          };
      assertTrue(d.liverHu() >= range[0] && d.liverHu() <= range[1], d.toString());
      // Vessels inside the liver and texture move the mean a little.
      assertEquals(d.liverHu(), liver, 12, "seed " + seed + " liver mean");
      assertTrue(d.tissueHu().get("fat") < -80 && d.tissueHu().get("fat") > -120);
      double muscle = d.tissueHu().get("muscle");
      assertTrue(muscle > 35 && muscle < 75, "muscle " + muscle);
      assertTrue(d.tissueHu().get("bone_cortical") > 600);
      assertTrue(d.tissueHu().get("lung") < -800);
      if (d.phase() != ContrastPhase.NON_CONTRAST) {
        assertTrue(d.tissueHu().get("aorta") > d.tissueHu().get("muscle") + 30, d.toString());
      }
      if (d.phase() == ContrastPhase.PORTAL_VENOUS) {
        assertTrue(d.tissueHu().get("portal_vein") > d.liverHu(), d.toString());
      }
      for (Tumor t : d.tumors()) {
        double c = Math.abs(t.contrastHu());
        assertTrue(t.hypodense() ? c >= 20 && c <= 60 : c >= 20 && c <= 50, "tumor contrast " + c);
      }
    }
    assertTrue(phases.size() >= 3, "phases seen: " + phases);
  }

  @Test
  void largeTumorsHaveTheirHu() {
    Parameters noiseless = MEDIUM.withNoiseSigmaHu(0);
    int checked = 0;
    for (long seed = 1; seed <= 30 && checked < 3; seed++) {
      Study s = AbdominalPhantom.generate(noiseless, seed);
      List<Tumor> tumors = s.description().tumors();
      if (tumors.size() != 1 || tumors.get(0).diameterMm() < 25 || tumors.get(0).necroticCore()) {
        continue;
      }
      double mean = interiorMean(s, LiverTumorLabels.TUMOR, null);
      assertEquals(tumors.get(0).hu(), mean, 12, "seed " + seed);
      checked++;
    }
    assertTrue(checked > 0, "no single large tumor among the seeds");
  }

  @Test
  void noiseIsCorrelatedAndHasTheDocumentedSigma() {
    Study clean = AbdominalPhantom.generate(MEDIUM.withNoiseSigmaHu(0), 3);
    Study noisy = AbdominalPhantom.generate(MEDIUM, 3);
    double sigma = noisy.description().noiseSigmaHu();
    assertTrue(sigma >= 8 && sigma <= 20, "sigma " + sigma);
    Geometry g = clean.ct().geometry();
    double sum = 0;
    double sum2 = 0;
    double lag = 0;
    long n = 0;
    for (int k = 1; k < g.sizeZ() - 1; k++) {
      for (int j = 1; j < g.sizeY() - 1; j++) {
        for (int i = 1; i < g.sizeX() - 2; i++) {
          if (clean.labels().valueAt(i, j, k) != LiverTumorLabels.LIVER
              || clean.labels().valueAt(i + 1, j, k) != LiverTumorLabels.LIVER) {
            continue;
          }
          double a = noisy.ct().valueAt(i, j, k) - clean.ct().valueAt(i, j, k);
          double b = noisy.ct().valueAt(i + 1, j, k) - clean.ct().valueAt(i + 1, j, k);
          sum += a;
          sum2 += a * a;
          lag += a * b;
          n++;
        }
      }
    }
    double mean = sum / n;
    double variance = sum2 / n - mean * mean;
    double correlation = (lag / n - mean * mean) / variance;
    assertEquals(sigma, Math.sqrt(variance), 0.12 * sigma, "noise sigma in the liver");
    assertTrue(correlation > 0.3, "neighbour correlation " + correlation);
    assertTrue(correlation < 0.95, "neighbour correlation " + correlation);
  }

  @Test
  void casesVaryOverSeeds() {
    List<Double> liverMl = new ArrayList<>();
    List<Integer> counts = new ArrayList<>();
    List<Double> diameters = new ArrayList<>();
    int hypo = 0;
    int hyper = 0;
    int atEdge = 0;
    for (long seed = 100; seed < 120; seed++) {
      Description d = AbdominalPhantom.generate(COARSE, seed).description();
      liverMl.add(d.liverVolumeMl());
      counts.add(d.tumors().size());
      for (Tumor t : d.tumors()) {
        diameters.add(t.diameterMm());
        if (t.hypodense()) {
          hypo++;
        } else {
          hyper++;
        }
        atEdge += t.atEdge() ? 1 : 0;
        assertTrue(t.diameterMm() >= 3.5 && t.diameterMm() <= 70, "diameter " + t.diameterMm());
      }
    }
    double minMl = liverMl.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    double maxMl = liverMl.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    assertTrue(minMl > 600 && maxMl < 3200, "liver volumes " + liverMl);
    assertTrue(maxMl - minMl > 400, "liver volumes vary too little: " + liverMl);
    assertTrue(counts.contains(0), "some cases have no tumor: " + counts);
    assertTrue(counts.stream().anyMatch(c -> c >= 3), "some have several: " + counts);
    assertTrue(diameters.stream().anyMatch(x -> x < 12), "small tumors: " + diameters);
    assertTrue(diameters.stream().anyMatch(x -> x > 30), "large tumors: " + diameters);
    assertTrue(hypo > 0 && hyper > 0, "hypo " + hypo + ", hyper " + hyper);
    assertTrue(atEdge > 0, "some tumors at the liver's edge");
  }

  @Test
  void dicomSeriesReadsBackExactlyAndPassesDciodvfy() throws Exception {
    Study s = AbdominalPhantom.generate(COARSE, 9);
    List<Path> files =
        CtSeriesWriter.write(
            s.ct(),
            dir,
            CtSeriesWriter.Options.builder().uidSeed(9).bodyPartExamined("ABDOMEN").build(),
            ProgressListener.NONE);
    DicomIndex index = DicomScanner.scan(dir, ProgressListener.NONE);
    assertEquals(1, index.allSeries().size());
    LoadedSeries loaded = SeriesLoader.load(index.allSeries().get(0), ProgressListener.NONE);
    Volume v = loaded.volume();
    assertTrue(v.geometry().sameGrid(s.ct().geometry(), 1e-6), v.geometry().toString());
    assertArrayEquals(s.ct().shortValues(), v.shortValues());

    Process p =
        new ProcessBuilder("/usr/bin/dciodvfy", files.get(files.size() / 2).toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    assertFalse(out.contains("Error"), out);
  }
}
