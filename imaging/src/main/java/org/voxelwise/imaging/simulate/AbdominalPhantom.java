package org.voxelwise.imaging.simulate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.voxelwise.imaging.progress.ProgressListener;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.LabelVolume;
import org.voxelwise.imaging.volume.LiverTumorLabels;
import org.voxelwise.imaging.volume.Volume;

/**
 * A random abdominal CT with liver and liver-tumor labels, for training and testing segmentation.
 *
 * <p>Anatomy, in patient LPS coordinates (x to the patient's left, y to the back, z to the head;
 * shown with the patient's right on the image's left): body outline with subcutaneous fat and the
 * muscle wall, lung bases above a two-domed diaphragm, lumbar and lower thoracic spine (vertebral
 * bodies, discs, canal, posterior elements), ribs with costal cartilage, back muscles and psoas,
 * aorta and inferior vena cava, kidneys (cortex, medulla, sinus fat), spleen, stomach (wall, fluid,
 * gas with an air–fluid level in the supine patient), pancreas, gallbladder, small bowel loops and
 * colon with gas and stool, the heart's lower edge, and a liver of random smooth shape and size
 * under the right dome with portal and hepatic vein branches. The liver holds 0 to 8 tumors, hypo-
 * or hyperdense, 5–60 mm across (log-uniform), about a third of them at the liver's edge.
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>The same parameters and seed give the same study, voxel for voxel, on any machine and
 *       number of threads.
 *   <li>The grid is axis-aligned with identity directions, centred on x = y = 0; its slices are
 *       centred on z = {@link #CENTRE_Z_MM} (slice 0 lowest). The anatomy has a fixed physical
 *       size, so a larger field of view shows more air around the body, and a finer spacing more
 *       detail.
 *   <li>Labels: 0 background, 1 liver (parenchyma and the vessels inside it), 2 tumor, taken from
 *       the sharp geometry at each voxel centre. Tumors lie inside the liver.
 *   <li>CT values: each tissue's HU is drawn per case for a random contrast phase (see {@link
 *       ContrastPhase}), with a smooth texture of a few HU; the image is blurred by a Gaussian of
 *       0.6–1.0 voxel in-plane and 0.4–0.7 voxel along z (partial volume), then CT-like noise is
 *       added: white noise smoothed by a Gaussian of 0.7–1.1 voxel in-plane and 0.5 voxel along z,
 *       scaled to a standard deviation of {@link Description#noiseSigmaHu()} (8–20 HU unless fixed
 *       by {@link Parameters#noiseSigmaHu()}). Values are rounded and clamped to [−1024, 3071] and
 *       stored as 16-bit integers; modality "CT".
 * </ul>
 */
public final class AbdominalPhantom {
  /** Patient z in mm of the middle of the slices. */
  public static final double CENTRE_Z_MM = -10;

  /** Lowest value written, the usual CT floor. */
  public static final int MIN_HU = -1024;

  /** Highest value written. */
  public static final int MAX_HU = 3071;

  private static final int MAX_TUMORS = 8;

  private AbdominalPhantom() {}

  /** The contrast phase of a case, which sets the HU of vessels and enhancing organs. */
  public enum ContrastPhase {
    /** No contrast medium: liver 50–70 HU, blood 35–50 HU. */
    NON_CONTRAST,
    /** Late arterial: bright aorta (235–380 HU), liver only slightly enhanced. */
    ARTERIAL,
    /** Portal venous: liver 90–130 HU, portal and hepatic veins brighter than the liver. */
    PORTAL_VENOUS,
    /** Delayed (equilibrium): liver 80–105 HU, vessels a little brighter. */
    DELAYED
  }

  /**
   * What to make.
   *
   * @param sizeX columns, ≥ 1
   * @param sizeY rows, ≥ 1
   * @param sizeZ slices, ≥ 1
   * @param spacingMm [x, y, z] voxel spacing in mm, each &gt; 0 (copied)
   * @param noiseSigmaHu the noise standard deviation in HU (≥ 0), or {@code null} to draw it per
   *     case from 8–20 HU
   */
  public record Parameters(
      int sizeX, int sizeY, int sizeZ, double[] spacingMm, Double noiseSigmaHu) {
    /**
     * @throws IllegalArgumentException for a size below 1, a bad spacing or a negative noise
     */
    public Parameters {
      Objects.requireNonNull(spacingMm, "spacingMm");
      if (sizeX < 1 || sizeY < 1 || sizeZ < 1) {
        throw new IllegalArgumentException(
            "size must be at least 1 per axis: " + sizeX + "×" + sizeY + "×" + sizeZ);
      }
      if ((long) sizeX * sizeY * sizeZ > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("too many voxels: " + sizeX + "×" + sizeY + "×" + sizeZ);
      }
      if (spacingMm.length != 3
          || Arrays.stream(spacingMm).anyMatch(s -> !(s > 0) || Double.isInfinite(s))) {
        throw new IllegalArgumentException(
            "spacing must be 3 values > 0 mm: " + Arrays.toString(spacingMm));
      }
      spacingMm = spacingMm.clone();
      if (noiseSigmaHu != null && (!(noiseSigmaHu >= 0) || noiseSigmaHu.isInfinite())) {
        throw new IllegalArgumentException("noise sigma must be ≥ 0 HU: " + noiseSigmaHu);
      }
    }

    /** The default: 256 × 256 × 100 voxels of 1.5 × 1.5 × 2.5 mm, noise drawn per case. */
    public static Parameters defaults() {
      return new Parameters(256, 256, 100, new double[] {1.5, 1.5, 2.5}, null);
    }

    @Override
    public double[] spacingMm() {
      return spacingMm.clone();
    }

    /** These parameters with another grid size. */
    public Parameters withSize(int x, int y, int z) {
      return new Parameters(x, y, z, spacingMm, noiseSigmaHu);
    }

    /** These parameters with another spacing. */
    public Parameters withSpacing(double[] spacing) {
      return new Parameters(sizeX, sizeY, sizeZ, spacing, noiseSigmaHu);
    }

    /** These parameters with a fixed noise sigma in HU (0: no noise). */
    public Parameters withNoiseSigmaHu(double sigma) {
      return new Parameters(sizeX, sizeY, sizeZ, spacingMm, sigma);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Parameters p
          && sizeX == p.sizeX
          && sizeY == p.sizeY
          && sizeZ == p.sizeZ
          && Arrays.equals(spacingMm, p.spacingMm)
          && Objects.equals(noiseSigmaHu, p.noiseSigmaHu);
    }

    @Override
    public int hashCode() {
      return Objects.hash(sizeX, sizeY, sizeZ, Arrays.hashCode(spacingMm), noiseSigmaHu);
    }

    @Override
    public String toString() {
      return sizeX + "×" + sizeY + "×" + sizeZ + " at " + Arrays.toString(spacingMm) + " mm";
    }
  }

  /**
   * A generated study.
   *
   * @param ct the CT image in HU
   * @param labels liver and tumor labels on the same grid
   * @param description what was made
   */
  public record Study(Volume ct, LabelVolume labels, Description description) {}

  /**
   * One tumor as it ended up in the labels.
   *
   * @param centreMm [x, y, z] patient position of the tumor's nominal centre (a copy)
   * @param diameterMm nominal diameter (twice the mean semi-axis)
   * @param volumeMl volume of its tumor-labelled voxels
   * @param hu its nominal HU (before texture, blur and noise)
   * @param contrastHu {@code hu} minus the liver's nominal HU: negative for hypodense tumors
   * @param atEdge whether it was placed on the liver's surface
   * @param necroticCore whether it has a darker centre
   */
  public record Tumor(
      double[] centreMm,
      double diameterMm,
      double volumeMl,
      double hu,
      double contrastHu,
      boolean atEdge,
      boolean necroticCore) {
    public Tumor {
      centreMm = centreMm.clone();
    }

    @Override
    public double[] centreMm() {
      return centreMm.clone();
    }

    /** Whether the tumor is darker than the liver. */
    public boolean hypodense() {
      return contrastHu < 0;
    }
  }

  /**
   * What a generated case holds.
   *
   * @param seed the seed it was made from
   * @param phase its contrast phase
   * @param liverVolumeMl volume of the liver including its tumors (labels 1 and 2)
   * @param liverHu the liver parenchyma's nominal HU
   * @param tumors its tumors (each with at least one voxel), largest first
   * @param noiseSigmaHu the noise standard deviation in HU
   * @param blurSigmaVoxels partial-volume blur [x, y, z] in voxels (a copy)
   * @param tissueHu nominal HU of each tissue by name
   */
  public record Description(
      long seed,
      ContrastPhase phase,
      double liverVolumeMl,
      double liverHu,
      List<Tumor> tumors,
      double noiseSigmaHu,
      double[] blurSigmaVoxels,
      Map<String, Double> tissueHu) {
    public Description {
      tumors = List.copyOf(tumors);
      blurSigmaVoxels = blurSigmaVoxels.clone();
      tissueHu = Map.copyOf(tissueHu);
    }

    @Override
    public double[] blurSigmaVoxels() {
      return blurSigmaVoxels.clone();
    }
  }

  /** {@link #generate(Parameters, long, ProgressListener)} without progress. */
  public static Study generate(Parameters parameters, long seed) {
    return generate(parameters, seed, ProgressListener.NONE);
  }

  /**
   * Makes the case of {@code seed} on the grid of {@code parameters}.
   *
   * @throws org.voxelwise.imaging.progress.OperationCancelledException when cancelled
   */
  public static Study generate(Parameters parameters, long seed, ProgressListener progress) {
    Objects.requireNonNull(parameters, "parameters");
    Objects.requireNonNull(progress, "progress");
    Geometry g = geometry(parameters);
    SplittableRandom rng = new SplittableRandom(seed);
    double[] origin = g.originMm();
    double[] spacing = g.spacingMm();
    double zMin = origin[2];
    double zMax = origin[2] + (g.sizeZ() - 1) * spacing[2];
    progress.update(0, "Building the anatomy");
    AbdomenModel model = new AbdomenModel(rng, zMin, zMax);
    byte[] tissue = new byte[Math.toIntExact(g.voxelCount())];
    paint(g, model.regions(), tissue, progress.part(0, 0.4));

    ContrastPhase phase = drawPhase(rng);
    double[] hu = tissueHu(phase, rng);
    byte[] tumorId = new byte[tissue.length];
    progress.checkCancelled();
    List<PlacedTumor> placed = placeTumors(g, tissue, tumorId, hu[Tissue.LIVER.ordinal()], rng);
    double[] blur = {AbdomenModel.uniform(rng, 0.6, 1.0), 0, AbdomenModel.uniform(rng, 0.4, 0.7)};
    blur[1] = blur[0];
    double noiseSigma =
        parameters.noiseSigmaHu() != null
            ? parameters.noiseSigmaHu()
            : AbdomenModel.uniform(rng, 8, 20);
    double noiseCorrelation = AbdomenModel.uniform(rng, 0.7, 1.1);
    SmoothNoise texture = new SmoothNoise(rng.split(), volumeBounds(g), 10);
    SmoothNoise mottle = new SmoothNoise(rng.split(), volumeBounds(g), 4);
    long noiseSeed = rng.nextLong();

    progress.update(0.45, "Computing CT values");
    float[] values = ctValues(g, tissue, tumorId, hu, placed, texture, mottle);
    progress.checkCancelled();
    progress.update(0.6, "Partial-volume blur");
    GaussianFilter.smooth(values, g.sizeX(), g.sizeY(), g.sizeZ(), blur[0], blur[1], blur[2]);
    progress.checkCancelled();
    progress.update(0.75, "Adding CT noise");
    short[] ct = addNoise(g, values, noiseSigma, noiseCorrelation, noiseSeed);

    byte[] labels = new byte[tissue.length];
    long[] tumorVoxels = new long[placed.size() + 1];
    for (int i = 0; i < tissue.length; i++) {
      labels[i] = (byte) Tissue.ALL[tissue[i]].label;
      tumorVoxels[tumorId[i]]++;
    }
    LabelVolume labelVolume = new LabelVolume(g, labels, LiverTumorLabels.TABLE);
    double voxelMl = spacing[0] * spacing[1] * spacing[2] / 1000;
    List<Tumor> tumors = new ArrayList<>();
    double liverHu = hu[Tissue.LIVER.ordinal()];
    for (int t = 0; t < placed.size(); t++) {
      PlacedTumor p = placed.get(t);
      long n = tumorVoxels[t + 1];
      if (n > 0) {
        tumors.add(
            new Tumor(
                p.centre,
                p.diameterMm,
                n * voxelMl,
                p.hu,
                p.hu - liverHu,
                p.atEdge,
                p.coreHu != null));
      }
    }
    tumors.sort((a, b) -> Double.compare(b.diameterMm(), a.diameterMm()));
    Map<String, Double> tissueHu = new java.util.TreeMap<>();
    for (Tissue t : Tissue.ALL) {
      if (t != Tissue.TUMOR && t != Tissue.TUMOR_CORE) {
        tissueHu.put(t.name().toLowerCase(Locale.ROOT), hu[t.ordinal()]);
      }
    }
    double liverMl =
        (labelVolume.count(LiverTumorLabels.LIVER) + labelVolume.count(LiverTumorLabels.TUMOR))
            * voxelMl;
    progress.update(1, "Phantom ready");
    return new Study(
        Volume.ofShorts(g, "CT", ct),
        labelVolume,
        new Description(seed, phase, liverMl, liverHu, tumors, noiseSigma, blur, tissueHu));
  }

  /** The grid of {@code parameters}: axis-aligned, centred on x = y = 0 and z = CENTRE_Z_MM. */
  public static Geometry geometry(Parameters parameters) {
    double[] s = parameters.spacingMm();
    double[] origin = {
      -(parameters.sizeX() - 1) * s[0] / 2,
      -(parameters.sizeY() - 1) * s[1] / 2,
      CENTRE_Z_MM - (parameters.sizeZ() - 1) * s[2] / 2
    };
    return Geometry.axisAligned(
        parameters.sizeX(), parameters.sizeY(), parameters.sizeZ(), s, origin);
  }

  private static double[] volumeBounds(Geometry g) {
    double[] o = g.originMm();
    double[] s = g.spacingMm();
    return new double[] {
      o[0],
      o[0] + (g.sizeX() - 1) * s[0],
      o[1],
      o[1] + (g.sizeY() - 1) * s[1],
      o[2],
      o[2] + (g.sizeZ() - 1) * s[2]
    };
  }

  /** Draws the regions in order, slice by slice in parallel. */
  private static void paint(
      Geometry g, List<Region> regions, byte[] tissue, ProgressListener progress) {
    int nx = g.sizeX();
    int ny = g.sizeY();
    int nz = g.sizeZ();
    double[] o = g.originMm();
    double[] s = g.spacingMm();
    int[][] boxes = new int[regions.size()][];
    for (int r = 0; r < boxes.length; r++) {
      double[] b = regions.get(r).boundsMm();
      boxes[r] =
          new int[] {
            Math.max(0, (int) Math.floor((b[0] - o[0]) / s[0])),
            Math.min(nx - 1, (int) Math.ceil((b[1] - o[0]) / s[0])),
            Math.max(0, (int) Math.floor((b[2] - o[1]) / s[1])),
            Math.min(ny - 1, (int) Math.ceil((b[3] - o[1]) / s[1])),
            (int) Math.max(0, Math.floor((b[4] - o[2]) / s[2])),
            (int) Math.min(nz - 1, Math.ceil((b[5] - o[2]) / s[2]))
          };
    }
    java.util.concurrent.atomic.AtomicInteger done =
        new java.util.concurrent.atomic.AtomicInteger();
    IntStream.range(0, nz)
        .parallel()
        .forEach(
            k -> {
              progress.checkCancelled();
              double z = o[2] + k * s[2];
              int slice = k * nx * ny;
              for (int r = 0; r < boxes.length; r++) {
                int[] box = boxes[r];
                if (k < box[4] || k > box[5]) {
                  continue;
                }
                Region region = regions.get(r);
                for (int j = box[2]; j <= box[3]; j++) {
                  double y = o[1] + j * s[1];
                  int row = slice + j * nx;
                  for (int i = box[0]; i <= box[1]; i++) {
                    tissue[row + i] = (byte) region.paint(o[0] + i * s[0], y, z, tissue[row + i]);
                  }
                }
              }
              progress.update((double) done.incrementAndGet() / nz, "Drawing the anatomy");
            });
  }

  private static ContrastPhase drawPhase(SplittableRandom rng) {
    double p = rng.nextDouble();
    if (p < 0.15) {
      return ContrastPhase.NON_CONTRAST;
    }
    if (p < 0.35) {
      return ContrastPhase.ARTERIAL;
    }
    return p < 0.85 ? ContrastPhase.PORTAL_VENOUS : ContrastPhase.DELAYED;
  }

  /** Nominal HU per tissue (by ordinal) for one case in {@code phase}. */
  private static double[] tissueHu(ContrastPhase phase, SplittableRandom rng) {
    Map<Tissue, Double> hu = new EnumMap<>(Tissue.class);
    int p = phase.ordinal();
    double e = AbdomenModel.uniform(rng, 0.85, 1.15);
    double fat = AbdomenModel.uniform(rng, -115, -85);
    double blood = AbdomenModel.uniform(rng, 35, 50);
    hu.put(Tissue.AIR, -1000.0);
    hu.put(Tissue.FAT, fat);
    hu.put(Tissue.VISCERAL_FAT, fat + AbdomenModel.uniform(rng, 0, 20));
    hu.put(
        Tissue.MUSCLE,
        AbdomenModel.uniform(rng, 40, 55) + e * pick(rng, p, 0, 0, 3, 8, 8, 15, 6, 12));
    hu.put(Tissue.LUNG, AbdomenModel.uniform(rng, -880, -820));
    hu.put(Tissue.HEART, blood + e * pick(rng, p, 0, 0, 180, 260, 110, 150, 60, 90));
    hu.put(Tissue.BONE_CORTICAL, AbdomenModel.uniform(rng, 650, 950));
    hu.put(Tissue.BONE_CANCELLOUS, AbdomenModel.uniform(rng, 150, 280));
    hu.put(Tissue.DISC, AbdomenModel.uniform(rng, 70, 100));
    hu.put(Tissue.CSF, AbdomenModel.uniform(rng, 5, 20));
    hu.put(Tissue.CARTILAGE, AbdomenModel.uniform(rng, 100, 180));
    hu.put(Tissue.AORTA, blood + e * pick(rng, p, 0, 0, 200, 330, 110, 160, 70, 110));
    hu.put(Tissue.IVC, blood + e * pick(rng, p, 0, 0, 30, 80, 90, 130, 60, 90));
    double portal = blood + e * pick(rng, p, 0, 0, 60, 110, 120, 170, 60, 90);
    hu.put(Tissue.PORTAL_VEIN, portal);
    hu.put(Tissue.PORTAL_VEIN_IN_LIVER, portal);
    hu.put(Tissue.HEPATIC_VEIN_IN_LIVER, blood + e * pick(rng, p, 0, 0, 5, 25, 90, 140, 60, 90));
    double liverPlain = AbdomenModel.uniform(rng, 50, 70);
    double liver =
        switch (phase) {
          case NON_CONTRAST -> liverPlain;
          case ARTERIAL -> liverPlain + AbdomenModel.uniform(rng, 10, 25);
          case PORTAL_VENOUS -> AbdomenModel.uniform(rng, 90, 130);
          case DELAYED -> AbdomenModel.uniform(rng, 80, 105);
        };
    hu.put(Tissue.LIVER, liver);
    double kidney = AbdomenModel.uniform(rng, 30, 40);
    hu.put(Tissue.KIDNEY_CORTEX, kidney + e * pick(rng, p, 0, 0, 140, 200, 120, 160, 80, 110));
    hu.put(Tissue.KIDNEY_MEDULLA, kidney + e * pick(rng, p, 0, 0, 40, 70, 110, 150, 90, 120));
    hu.put(Tissue.RENAL_SINUS, fat + 30);
    hu.put(
        Tissue.SPLEEN,
        AbdomenModel.uniform(rng, 40, 50) + e * pick(rng, p, 0, 0, 60, 100, 60, 85, 40, 60));
    hu.put(
        Tissue.PANCREAS,
        AbdomenModel.uniform(rng, 35, 45) + e * pick(rng, p, 0, 0, 60, 90, 40, 60, 30, 45));
    hu.put(Tissue.GALLBLADDER, AbdomenModel.uniform(rng, 0, 20));
    hu.put(
        Tissue.GUT_WALL,
        AbdomenModel.uniform(rng, 35, 45) + e * pick(rng, p, 0, 0, 40, 70, 40, 60, 30, 45));
    hu.put(Tissue.FLUID, AbdomenModel.uniform(rng, 0, 20));
    hu.put(Tissue.GAS, AbdomenModel.uniform(rng, -1000, -960));
    hu.put(Tissue.STOOL, AbdomenModel.uniform(rng, -100, 40));
    hu.put(Tissue.TUMOR, liver);
    hu.put(Tissue.TUMOR_CORE, liver);
    double[] out = new double[Tissue.ALL.length];
    for (Tissue t : Tissue.ALL) {
      out[t.ordinal()] = hu.get(t);
    }
    return out;
  }

  /** A uniform draw from the range of {@code phase} among four (lo, hi) pairs. */
  private static double pick(SplittableRandom rng, int phase, double... ranges) {
    return AbdomenModel.uniform(rng, ranges[2 * phase], ranges[2 * phase + 1]);
  }

  /** Texture amplitude in HU per tissue (by ordinal). */
  private static final double[] TEXTURE_HU = textureAmplitudes();

  private static double[] textureAmplitudes() {
    double[] a = new double[Tissue.ALL.length];
    Arrays.fill(a, 2);
    a[Tissue.AIR.ordinal()] = 0;
    a[Tissue.GAS.ordinal()] = 0;
    a[Tissue.FAT.ordinal()] = 6;
    a[Tissue.VISCERAL_FAT.ordinal()] = 12;
    a[Tissue.LUNG.ordinal()] = 25;
    a[Tissue.LIVER.ordinal()] = 5;
    a[Tissue.SPLEEN.ordinal()] = 4;
    a[Tissue.MUSCLE.ordinal()] = 4;
    a[Tissue.TUMOR.ordinal()] = 8;
    a[Tissue.TUMOR_CORE.ordinal()] = 6;
    a[Tissue.BONE_CANCELLOUS.ordinal()] = 40;
    a[Tissue.BONE_CORTICAL.ordinal()] = 60;
    return a;
  }

  /** A tumor as drawn: its shape and HU. */
  private record PlacedTumor(
      double[] centre, double diameterMm, double hu, Double coreHu, boolean atEdge) {}

  /**
   * Chooses the tumors inside the painted liver and draws them into {@code tissue} and {@code
   * tumorId} (1-based index of the tumor, 0 elsewhere).
   */
  private static List<PlacedTumor> placeTumors(
      Geometry g, byte[] tissue, byte[] tumorId, double liverHu, SplittableRandom rng) {
    double c = rng.nextDouble();
    int count =
        c < 0.15 ? 0 : c < 0.45 ? 1 : c < 0.65 ? 2 : c < 0.8 ? 3 : c < 0.9 ? 4 : 5 + rng.nextInt(4);
    boolean caseHyper = rng.nextDouble() < 0.3;
    int nx = g.sizeX();
    int ny = g.sizeY();
    int nz = g.sizeZ();
    int[] liver =
        IntStream.range(0, tissue.length).filter(i -> Tissue.isLiver(tissue[i])).toArray();
    List<PlacedTumor> placed = new ArrayList<>();
    if (liver.length == 0) {
      return placed;
    }
    int[] edge =
        Arrays.stream(liver)
            .filter(
                i -> {
                  int x = i % nx;
                  int y = (i / nx) % ny;
                  int z = i / (nx * ny);
                  return (x > 0 && !Tissue.isLiver(tissue[i - 1]))
                      || (x < nx - 1 && !Tissue.isLiver(tissue[i + 1]))
                      || (y > 0 && !Tissue.isLiver(tissue[i - nx]))
                      || (y < ny - 1 && !Tissue.isLiver(tissue[i + nx]))
                      || (z > 0 && !Tissue.isLiver(tissue[i - nx * ny]))
                      || (z < nz - 1 && !Tissue.isLiver(tissue[i + nx * ny]));
                })
            .toArray();
    double[] o = g.originMm();
    double[] s = g.spacingMm();
    List<Blob> shapes = new ArrayList<>();
    for (int t = 0; t < Math.min(count, MAX_TUMORS); t++) {
      double diameter = Math.exp(AbdomenModel.uniform(rng, Math.log(5), Math.log(60)));
      boolean atEdge = edge.length > 0 && rng.nextDouble() < 0.35;
      double radius = diameter / 2;
      double[] centre = null;
      for (int attempt = 0; attempt < 40 && centre == null; attempt++) {
        int i = atEdge ? edge[rng.nextInt(edge.length)] : liver[rng.nextInt(liver.length)];
        double[] p = {
          o[0] + (i % nx) * s[0], o[1] + ((i / nx) % ny) * s[1], o[2] + (i / (nx * ny)) * s[2]
        };
        if (atEdge || fitsInLiver(g, tissue, p, 0.8 * radius)) {
          centre = p;
        } else if (attempt % 10 == 9) {
          radius *= 0.8;
        }
      }
      if (centre == null) {
        continue;
      }
      boolean hyper = rng.nextDouble() < 0.8 ? caseHyper : !caseHyper;
      double contrast =
          hyper ? AbdomenModel.uniform(rng, 20, 50) : -AbdomenModel.uniform(rng, 20, 60);
      double tumorHu = liverHu + contrast;
      Double coreHu =
          2 * radius > 25 && rng.nextDouble() < 0.5
              ? Math.min(tumorHu - 20, AbdomenModel.uniform(rng, 5, 30))
              : null;
      double[] semi = {
        radius * AbdomenModel.uniform(rng, 0.85, 1.15),
        radius * AbdomenModel.uniform(rng, 0.85, 1.15),
        radius * AbdomenModel.uniform(rng, 0.85, 1.15)
      };
      shapes.add(
          Blob.random(
              rng,
              centre,
              semi,
              new double[] {
                AbdomenModel.uniform(rng, 0, Math.PI), AbdomenModel.uniform(rng, 0, Math.PI), 0
              },
              3,
              0.12,
              0,
              0,
              1));
      placed.add(
          new PlacedTumor(centre, 2 * (semi[0] + semi[1] + semi[2]) / 3, tumorHu, coreHu, atEdge));
    }
    for (int t = 0; t < shapes.size(); t++) {
      Blob blob = shapes.get(t);
      boolean core = placed.get(t).coreHu != null;
      double[] b = blob.boundsMm();
      int i0 = Math.max(0, (int) Math.floor((b[0] - o[0]) / s[0]));
      int i1 = Math.min(nx - 1, (int) Math.ceil((b[1] - o[0]) / s[0]));
      int j0 = Math.max(0, (int) Math.floor((b[2] - o[1]) / s[1]));
      int j1 = Math.min(ny - 1, (int) Math.ceil((b[3] - o[1]) / s[1]));
      int k0 = Math.max(0, (int) Math.floor((b[4] - o[2]) / s[2]));
      int k1 = Math.min(nz - 1, (int) Math.ceil((b[5] - o[2]) / s[2]));
      byte id = (byte) (t + 1);
      for (int k = k0; k <= k1; k++) {
        for (int j = j0; j <= j1; j++) {
          for (int i = i0; i <= i1; i++) {
            int index = i + nx * (j + ny * k);
            int current = tissue[index];
            if (!Tissue.isLiver(current)
                && current != Tissue.TUMOR.ordinal()
                && current != Tissue.TUMOR_CORE.ordinal()) {
              continue;
            }
            double level = blob.level(o[0] + i * s[0], o[1] + j * s[1], o[2] + k * s[2]);
            if (level <= 1) {
              tissue[index] =
                  (byte)
                      (core && level < 0.5 ? Tissue.TUMOR_CORE.ordinal() : Tissue.TUMOR.ordinal());
              tumorId[index] = id;
            }
          }
        }
      }
    }
    return placed;
  }

  /** Whether the liver holds the points at {@code radius} from {@code p} in 26 directions. */
  private static boolean fitsInLiver(Geometry g, byte[] tissue, double[] p, double radius) {
    double[] o = g.originMm();
    double[] s = g.spacingMm();
    for (int dx = -1; dx <= 1; dx++) {
      for (int dy = -1; dy <= 1; dy++) {
        for (int dz = -1; dz <= 1; dz++) {
          if (dx == 0 && dy == 0 && dz == 0) {
            continue;
          }
          double n = Math.sqrt(dx * dx + dy * dy + dz * dz);
          int i = (int) Math.round((p[0] + radius * dx / n - o[0]) / s[0]);
          int j = (int) Math.round((p[1] + radius * dy / n - o[1]) / s[1]);
          int k = (int) Math.round((p[2] + radius * dz / n - o[2]) / s[2]);
          if (i < 0
              || j < 0
              || k < 0
              || i >= g.sizeX()
              || j >= g.sizeY()
              || k >= g.sizeZ()
              || !Tissue.isLiver(tissue[i + g.sizeX() * (j + g.sizeY() * k)])) {
            return false;
          }
        }
      }
    }
    return true;
  }

  /** The noiseless HU image: tissue HU plus texture; stool mottled with gas. */
  private static float[] ctValues(
      Geometry g,
      byte[] tissue,
      byte[] tumorId,
      double[] hu,
      List<PlacedTumor> tumors,
      SmoothNoise texture,
      SmoothNoise mottle) {
    int nx = g.sizeX();
    int ny = g.sizeY();
    double[] o = g.originMm();
    double[] s = g.spacingMm();
    float[] values = new float[tissue.length];
    int stool = Tissue.STOOL.ordinal();
    int tumor = Tissue.TUMOR.ordinal();
    int core = Tissue.TUMOR_CORE.ordinal();
    double gas = hu[Tissue.GAS.ordinal()];
    IntStream.range(0, g.sizeZ())
        .parallel()
        .forEach(
            k -> {
              double z = o[2] + k * s[2];
              for (int j = 0; j < ny; j++) {
                double y = o[1] + j * s[1];
                int row = nx * (j + ny * k);
                for (int i = 0; i < nx; i++) {
                  int index = row + i;
                  int t = tissue[index];
                  double x = o[0] + i * s[0];
                  double v = hu[t];
                  if (t == tumor || t == core) {
                    PlacedTumor p = tumors.get(tumorId[index] - 1);
                    v = t == core ? p.coreHu : p.hu;
                  }
                  if (t == stool && mottle.value(x, y, z) > 0.25) {
                    v = gas;
                  } else if (TEXTURE_HU[t] > 0) {
                    v += TEXTURE_HU[t] * texture.value(x, y, z);
                  }
                  values[index] = (float) v;
                }
              }
            });
    return values;
  }

  /**
   * Adds correlated noise of standard deviation {@code sigma} and rounds to HU: white noise (one
   * generator per slice, seeded from {@code seed} and the slice index) smoothed by a Gaussian of
   * {@code correlation} voxels in-plane and 0.5 along z.
   */
  private static short[] addNoise(
      Geometry g, float[] values, double sigma, double correlation, long seed) {
    int nx = g.sizeX();
    int ny = g.sizeY();
    int nz = g.sizeZ();
    float[] noise = new float[values.length];
    if (sigma > 0) {
      double zSigma = 0.5;
      double gain =
          Math.sqrt(
              GaussianFilter.varianceGain(correlation)
                  * GaussianFilter.varianceGain(correlation)
                  * GaussianFilter.varianceGain(zSigma));
      double scale = sigma / gain;
      IntStream.range(0, nz)
          .parallel()
          .forEach(
              k -> {
                SplittableRandom r = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (k + 1)));
                int start = k * nx * ny;
                for (int i = 0; i < nx * ny; i++) {
                  noise[start + i] = (float) (scale * r.nextGaussian());
                }
              });
      GaussianFilter.smooth(noise, nx, ny, nz, correlation, correlation, zSigma);
    }
    short[] out = new short[values.length];
    IntStream.range(0, nz)
        .parallel()
        .forEach(
            k -> {
              int start = k * nx * ny;
              for (int i = start; i < start + nx * ny; i++) {
                long v = Math.round((double) values[i] + noise[i]);
                out[i] = (short) Math.max(MIN_HU, Math.min(MAX_HU, v));
              }
            });
    return out;
  }
}
