package org.voxelwise.imaging.simulate;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The random anatomy of one abdominal phantom case, in patient LPS millimetres (x to the patient's
 * left, y to the back, z to the head): body wall, lung bases and diaphragm, spine, ribs, muscles,
 * vessels, organs and bowel, as {@link Region}s to draw in order. Every random choice is made in
 * the constructor, in a fixed order, from the generator it is given.
 *
 * <p>Sizes and positions follow adult anatomy: a body 270–340 mm wide, the liver under the right
 * dome of the diaphragm (smaller x), its left lobe across the midline in front of the stomach, the
 * spleen and stomach on the left, the kidneys beside the spine (the right one lower), the aorta
 * left of the midline in front of the spine and the vena cava to its right.
 */
final class AbdomenModel {
  private static final double DIAPHRAGM_MM = 4;
  private static final double LIVER_UNION_SOFTNESS = 0.08;

  private final double cx;
  private final double cy;
  private final double halfWidth;
  private final double halfDepth;
  private final double zTaper;
  private final double[] shapeCos = new double[5];
  private final double[] shapeSin = new double[5];
  private final double fatMm;
  private final double[] fatWave = new double[4];
  private final double muscleMm;
  private final double[] muscleWave = new double[4];
  private final double domeRight;
  private final double domeLeft;
  private final double domeXRight;
  private final double domeXLeft;
  private final double domeY;
  private final double domeCurvatureMm;
  private final double spineY;
  private final double vertebraRadius;
  private final double vertebraPeriod;
  private final double vertebraPhase;
  private final Blob liverRight;
  private final Blob liverLeft;
  private final List<Region> regions = new ArrayList<>();

  /**
   * @param zMinMm lowest slice position of the volume
   * @param zMaxMm highest slice position of the volume
   */
  AbdomenModel(RandomGenerator rng, double zMinMm, double zMaxMm) {
    cx = uniform(rng, -8, 8);
    cy = uniform(rng, -6, 6);
    halfWidth = uniform(rng, 135, 170);
    halfDepth = halfWidth * uniform(rng, 0.68, 0.82);
    zTaper = uniform(rng, -0.0004, 0.0004);
    shapeCos[4] = -0.04;
    for (int n = 2; n < 5; n++) {
      shapeCos[n] += uniform(rng, -0.02, 0.02);
      shapeSin[n] = uniform(rng, -0.02, 0.02);
    }
    fatMm = uniform(rng, 8, 40);
    muscleMm = uniform(rng, 9, 14);
    for (int i = 0; i < 4; i++) {
      fatWave[i] = uniform(rng, -0.25, 0.25);
      muscleWave[i] = uniform(rng, -0.15, 0.15);
    }
    domeRight = uniform(rng, 85, 105);
    domeLeft = domeRight - uniform(rng, 5, 20);
    domeXRight = cx - 0.4 * halfWidth;
    domeXLeft = cx + 0.4 * halfWidth;
    domeY = cy + uniform(rng, -5, 15);
    domeCurvatureMm = uniform(rng, 95, 130);

    vertebraRadius = uniform(rng, 16, 21);
    spineY = cy + halfDepth - uniform(rng, 68, 82);
    vertebraPeriod = uniform(rng, 32, 38);
    vertebraPhase = uniform(rng, 0, vertebraPeriod);
    double zLow = Math.min(zMinMm, -150) - 40;
    double zHigh = Math.max(zMaxMm, 150) + 40;

    regions.add(bodyRegion());
    addBowel(rng, zMinMm);
    addBackMuscles(rng, zLow);

    // Liver: a large right lobe under the right dome and a flat left lobe reaching across the
    // midline in front of the stomach, joined smoothly, deformed by low-frequency waves.
    double al = uniform(rng, 78, 106);
    double bl = uniform(rng, 72, 96);
    double cl = uniform(rng, 68, 95);
    double[] rightCentre = {
      cx - uniform(rng, 0.30, 0.42) * halfWidth,
      cy + uniform(rng, -12, 10),
      domeRight - cl * uniform(rng, 0.40, 0.60)
    };
    liverRight =
        Blob.random(
            rng,
            rightCentre,
            new double[] {al, bl, cl},
            new double[] {
              uniform(rng, -0.2, 0.2), uniform(rng, -0.35, 0.1), uniform(rng, -0.15, 0.15)
            },
            5,
            0.10,
            4,
            uniform(rng, 3, 10),
            90);
    double[] leftCentre = {
      cx + uniform(rng, -5, 30),
      cy - uniform(rng, 0.25, 0.45) * halfDepth,
      domeLeft - uniform(rng, 12, 35)
    };
    liverLeft =
        Blob.random(
            rng,
            leftCentre,
            new double[] {uniform(rng, 45, 75), uniform(rng, 22, 38), uniform(rng, 22, 38)},
            new double[] {uniform(rng, -0.3, 0.3), uniform(rng, -0.2, 0.2), 0},
            4,
            0.10,
            3,
            uniform(rng, 2, 6),
            70);
    regions.add(liverRegion());
    addLiverVessels(rng, rightCentre, new double[] {al, bl, cl}, leftCentre);
    addGallbladder(rng, rightCentre, al, bl, cl);
    addKidneys(rng);
    addSpleenAndStomach(rng);
    addPancreas(rng);
    addHeart(rng);
    addGreatVessels(rng, zLow, zHigh);
    regions.add(spineRegion(zLow, zHigh));
    addRibs(rng);
  }

  static double uniform(RandomGenerator rng, double lo, double hi) {
    return lo + (hi - lo) * rng.nextDouble();
  }

  /** The regions to draw, in order (later ones decide over earlier ones where they choose to). */
  List<Region> regions() {
    return List.copyOf(regions);
  }

  /** Height in mm of the diaphragm above (x, y): the higher of two paraboloid domes. */
  double diaphragmZ(double x, double y) {
    double dy = (y - domeY) * (y - domeY);
    double right = domeRight - ((x - domeXRight) * (x - domeXRight) + dy) / (2 * domeCurvatureMm);
    double left = domeLeft - ((x - domeXLeft) * (x - domeXLeft) + dy) / (2 * domeCurvatureMm);
    return Math.max(right, left);
  }

  /**
   * Depth below the skin along the ray from the body centre, and the fat and muscle thicknesses
   * there: {depth, fat, fat + muscle} in mm. Depth is negative outside the body.
   */
  double[] wall(double x, double y, double z) {
    double dx = x - cx;
    double dy = y - cy;
    double r = Math.sqrt(dx * dx + dy * dy);
    double c = r < 1e-9 ? 1 : dx / r;
    double s = r < 1e-9 ? 0 : dy / r;
    double ellipse = halfWidth * halfDepth / Math.sqrt(sq(halfDepth * c) + sq(halfWidth * s));
    double cn = c;
    double sn = s;
    double shape = 1;
    for (int n = 2; n < 5; n++) {
      double c2 = cn * c - sn * s;
      double s2 = sn * c + cn * s;
      cn = c2;
      sn = s2;
      shape += shapeCos[n] * cn + shapeSin[n] * sn;
    }
    double radius = ellipse * shape * (1 + zTaper * z);
    double c2 = c * c - s * s;
    double s2 = 2 * c * s;
    double fat = fatMm * (1 + fatWave[0] * c + fatWave[1] * s + fatWave[2] * c2 + fatWave[3] * s2);
    double muscle =
        muscleMm
            * (1 + muscleWave[0] * c + muscleWave[1] * s + muscleWave[2] * c2 + muscleWave[3] * s2);
    return new double[] {radius - r, fat, fat + muscle};
  }

  private static double sq(double v) {
    return v * v;
  }

  private static double[] everywhere() {
    double big = 1e6;
    return new double[] {-big, big, -big, big, -big, big};
  }

  private Region bodyRegion() {
    return new Region() {
      @Override
      public double[] boundsMm() {
        return everywhere();
      }

      @Override
      public int paint(double x, double y, double z, int current) {
        double[] w = wall(x, y, z);
        if (w[0] < 0) {
          return Tissue.AIR.ordinal();
        }
        if (w[0] < w[1]) {
          return Tissue.FAT.ordinal();
        }
        if (w[0] < w[2]) {
          return Tissue.MUSCLE.ordinal();
        }
        double zd = diaphragmZ(x, y);
        if (z > zd + DIAPHRAGM_MM) {
          return Tissue.LUNG.ordinal();
        }
        if (z > zd) {
          return Tissue.MUSCLE.ordinal();
        }
        return Tissue.VISCERAL_FAT.ordinal();
      }
    };
  }

  /** The liver's envelope: below 1 inside (a smooth union of the two lobes). */
  double liverLevel(double x, double y, double z) {
    double a = liverRight.level(x, y, z);
    double b = liverLeft.level(x, y, z);
    double k = LIVER_UNION_SOFTNESS;
    double m = Math.min(a, b);
    return m - k * Math.log(Math.exp(-(a - m) / k) + Math.exp(-(b - m) / k));
  }

  private Region liverRegion() {
    double[] r = liverRight.boundsMm();
    double[] l = liverLeft.boundsMm();
    double[] bounds = new double[6];
    for (int i = 0; i < 6; i += 2) {
      bounds[i] = Math.min(r[i], l[i]);
      bounds[i + 1] = Math.max(r[i + 1], l[i + 1]);
    }
    return new Region() {
      @Override
      public double[] boundsMm() {
        return bounds;
      }

      @Override
      public int paint(double x, double y, double z, int current) {
        if (!Tissue.isFiller(current) || liverLevel(x, y, z) > 1) {
          return current;
        }
        return Tissue.LIVER.ordinal();
      }
    };
  }

  /** A tube region: {@code inside} where the tube holds the point and {@code over} allows it. */
  private static Region tubeRegion(Tube tube, TissueRule rule) {
    double[] bounds = tube.boundsMm();
    return new Region() {
      @Override
      public double[] boundsMm() {
        return bounds;
      }

      @Override
      public int paint(double x, double y, double z, int current) {
        double depth = tube.depth(x, y, z);
        return depth < 0 ? current : rule.tissue(x, y, z, depth, current);
      }
    };
  }

  private static Region blobRegion(Blob blob, TissueRule rule) {
    double[] bounds = blob.boundsMm();
    return new Region() {
      @Override
      public double[] boundsMm() {
        return bounds;
      }

      @Override
      public int paint(double x, double y, double z, int current) {
        double level = blob.level(x, y, z);
        return level > 1 ? current : rule.tissue(x, y, z, level, current);
      }
    };
  }

  /** What a shape holds at a point inside it (depth in mm for tubes, level for blobs). */
  private interface TissueRule {
    int tissue(double x, double y, double z, double inside, int current);
  }

  private void addBowel(RandomGenerator rng, double zMinMm) {
    double zTop = -10;
    double zBottom = Math.max(zMinMm - 20, -220);
    int loops = 6 + rng.nextInt(5);
    for (int loop = 0; loop < loops; loop++) {
      int steps = 6 + rng.nextInt(8);
      double radius = uniform(rng, 9, 14);
      double[][] points = new double[steps][];
      double[] radii = new double[steps];
      double[] p = {
        cx + uniform(rng, -0.55, 0.55) * halfWidth,
        cy + uniform(rng, -0.7, 0.1) * halfDepth,
        uniform(rng, zBottom, zTop)
      };
      double[] dir = Blob.unitVector(rng);
      for (int s = 0; s < steps; s++) {
        points[s] = p.clone();
        radii[s] = radius;
        double[] turn = Blob.unitVector(rng);
        for (int c = 0; c < 3; c++) {
          dir[c] = 0.6 * dir[c] + 0.8 * turn[c];
        }
        double n = Math.sqrt(dir[0] * dir[0] + dir[1] * dir[1] + dir[2] * dir[2]);
        double step = uniform(rng, 14, 20);
        for (int c = 0; c < 3; c++) {
          dir[c] /= n;
          p[c] += step * dir[c];
        }
        p[0] = Math.max(cx - 0.6 * halfWidth, Math.min(cx + 0.6 * halfWidth, p[0]));
        p[1] = Math.max(cy - 0.75 * halfDepth, Math.min(cy + 0.2 * halfDepth, p[1]));
        p[2] = Math.max(zBottom, Math.min(zTop, p[2]));
      }
      double content = rng.nextDouble();
      double level = points[0][1] + uniform(rng, -0.5, 0.5) * radius;
      int fill =
          content < 0.55 ? Tissue.FLUID.ordinal() : content < 0.7 ? Tissue.GAS.ordinal() : -1;
      regions.add(
          tubeRegion(
              new Tube(points, radii),
              (x, y, z, depth, current) -> {
                if (!Tissue.isFiller(current)) {
                  return current;
                }
                if (depth < 2.5) {
                  return Tissue.GUT_WALL.ordinal();
                }
                if (fill >= 0) {
                  return fill;
                }
                return y < level ? Tissue.GAS.ordinal() : Tissue.FLUID.ordinal();
              }));
    }
    // Colon: ascending on the right, transverse in front, descending on the left.
    double r = uniform(rng, 18, 25);
    double flexureZ = uniform(rng, -45, -15);
    double[][] colon = {
      {cx - 0.62 * halfWidth, cy + 0.05 * halfDepth, zBottom - 30},
      {cx - 0.62 * halfWidth + uniform(rng, -10, 10), cy - 0.05 * halfDepth, flexureZ - 30},
      {cx - 0.42 * halfWidth, cy - 0.45 * halfDepth, flexureZ},
      {cx + uniform(rng, -20, 20), cy - 0.68 * halfDepth, flexureZ - uniform(rng, 5, 40)},
      {cx + 0.55 * halfWidth, cy - 0.15 * halfDepth, flexureZ + uniform(rng, 20, 45)},
      {cx + 0.65 * halfWidth, cy + 0.1 * halfDepth, flexureZ - 30},
      {cx + 0.62 * halfWidth, cy + 0.05 * halfDepth, zBottom - 30}
    };
    double[] radii = new double[colon.length];
    java.util.Arrays.fill(radii, r);
    regions.add(
        tubeRegion(
            new Tube(colon, radii),
            (x, y, z, depth, current) -> {
              if (!Tissue.isFiller(current)) {
                return current;
              }
              return depth < 2.5 ? Tissue.GUT_WALL.ordinal() : Tissue.STOOL.ordinal();
            }));
  }

  private void addBackMuscles(RandomGenerator rng, double zLow) {
    double offset = uniform(rng, 34, 44);
    double yCentre = spineY + vertebraRadius + uniform(rng, 24, 34);
    double sx = uniform(rng, 26, 36);
    double sy = uniform(rng, 20, 28);
    double[] bounds = {cx - offset - sx, cx + offset + sx, yCentre - sy, yCentre + sy, -1e6, 1e6};
    regions.add(
        new Region() {
          @Override
          public double[] boundsMm() {
            return bounds;
          }

          @Override
          public int paint(double x, double y, double z, int current) {
            if (current == Tissue.AIR.ordinal() || current == Tissue.FAT.ordinal()) {
              return current;
            }
            double ex = (Math.abs(x - cx) - offset) / sx;
            double ey = (y - yCentre) / sy;
            return ex * ex + ey * ey <= 1 ? Tissue.MUSCLE.ordinal() : current;
          }
        });
    // Psoas muscles: thin beside the upper lumbar spine, thicker further down.
    double psoasTop = uniform(rng, -10, 20);
    for (int side = -1; side <= 1; side += 2) {
      double[][] points = {
        {cx + side * (vertebraRadius + 6), spineY - 2, psoasTop},
        {cx + side * (vertebraRadius + 22), spineY - 12, zLow}
      };
      double[] radii = {4, uniform(rng, 24, 32) * (psoasTop - zLow) / 300};
      regions.add(
          tubeRegion(
              new Tube(points, radii),
              (x, y, z, depth, current) ->
                  Tissue.isFiller(current) ? Tissue.MUSCLE.ordinal() : current));
    }
  }

  private void addLiverVessels(
      RandomGenerator rng, double[] rightCentre, double[] semi, double[] leftCentre) {
    TissueRule portal =
        (x, y, z, depth, current) -> {
          if (Tissue.isLiver(current)) {
            return Tissue.PORTAL_VEIN_IN_LIVER.ordinal();
          }
          return Tissue.isFiller(current) ? Tissue.PORTAL_VEIN.ordinal() : current;
        };
    TissueRule portalInLiver =
        (x, y, z, depth, current) ->
            Tissue.isLiver(current) ? Tissue.PORTAL_VEIN_IN_LIVER.ordinal() : current;
    TissueRule hepatic =
        (x, y, z, depth, current) ->
            Tissue.isLiver(current) ? Tissue.HEPATIC_VEIN_IN_LIVER.ordinal() : current;
    double[] hilum = {
      rightCentre[0] + uniform(rng, 0.30, 0.45) * semi[0],
      rightCentre[1] + uniform(rng, -0.1, 0.15) * semi[1],
      rightCentre[2] - uniform(rng, 0.35, 0.5) * semi[2]
    };
    double portalRadius = uniform(rng, 6, 8);
    double[] confluence = {
      cx + uniform(rng, -5, 10), spineY - vertebraRadius - uniform(rng, 30, 45), hilum[2] - 45
    };
    regions.add(
        tubeRegion(
            new Tube(new double[][] {confluence, hilum}, new double[] {portalRadius, portalRadius}),
            portal));
    double[] toRight = {
      rightCentre[0] - 0.45 * semi[0] - hilum[0],
      rightCentre[1] - hilum[1],
      rightCentre[2] - hilum[2]
    };
    double[] toLeft = {
      leftCentre[0] - hilum[0], leftCentre[1] - hilum[1], leftCentre[2] - hilum[2]
    };
    branch(rng, hilum, toRight, 0.8 * portalRadius, 3, portalInLiver);
    branch(rng, hilum, toLeft, 0.65 * portalRadius, 3, portalInLiver);

    double[] confluenceHv = {
      cx - uniform(rng, 18, 28),
      spineY - vertebraRadius - uniform(rng, 14, 22),
      domeRight - uniform(rng, 15, 30)
    };
    double hvRadius = uniform(rng, 4, 6);
    double[][] targets = {
      {
        rightCentre[0] - 0.8 * semi[0],
        rightCentre[1] - 0.1 * semi[1],
        rightCentre[2] - 0.4 * semi[2]
      },
      {
        rightCentre[0] + 0.3 * semi[0],
        rightCentre[1] - 0.7 * semi[1],
        rightCentre[2] - 0.5 * semi[2]
      },
      {leftCentre[0] + 20, leftCentre[1], leftCentre[2]}
    };
    for (double[] t : targets) {
      double[] d = {t[0] - confluenceHv[0], t[1] - confluenceHv[1], t[2] - confluenceHv[2]};
      branch(rng, confluenceHv, d, hvRadius, 2, hepatic);
    }
  }

  /** A random vessel tree from {@code start}: a segment along {@code reach}, then two children. */
  private void branch(
      RandomGenerator rng,
      double[] start,
      double[] reach,
      double radius,
      int depth,
      TissueRule rule) {
    double fraction = depth > 1 ? uniform(rng, 0.4, 0.6) : 1;
    double[] end = {
      start[0] + fraction * reach[0], start[1] + fraction * reach[1], start[2] + fraction * reach[2]
    };
    double endRadius = Math.max(1.5, 0.75 * radius);
    regions.add(
        tubeRegion(new Tube(new double[][] {start, end}, new double[] {radius, endRadius}), rule));
    if (depth <= 1) {
      return;
    }
    double rest = 1 - fraction;
    for (int child = 0; child < 2; child++) {
      double[] jitter = Blob.unitVector(rng);
      double length = Math.sqrt(reach[0] * reach[0] + reach[1] * reach[1] + reach[2] * reach[2]);
      double spread = uniform(rng, 0.3, 0.6) * length * rest;
      double[] childReach = new double[3];
      for (int c = 0; c < 3; c++) {
        childReach[c] = rest * reach[c] * uniform(rng, 0.8, 1.3) + spread * jitter[c];
      }
      branch(rng, end, childReach, endRadius, depth - 1, rule);
    }
  }

  private void addGallbladder(
      RandomGenerator rng, double[] liverCentre, double al, double bl, double cl) {
    if (rng.nextDouble() < 0.15) {
      return;
    }
    double[] centre = {
      liverCentre[0] + uniform(rng, 0.1, 0.35) * al,
      liverCentre[1] - uniform(rng, 0.35, 0.6) * bl,
      liverCentre[2] - uniform(rng, 0.45, 0.7) * cl
    };
    Blob gallbladder =
        Blob.random(
            rng,
            centre,
            new double[] {uniform(rng, 12, 18), uniform(rng, 12, 18), uniform(rng, 25, 40)},
            new double[] {
              uniform(rng, -0.5, 0.5), uniform(rng, -0.5, 0.5), uniform(rng, -0.3, 0.3)
            },
            3,
            0.06,
            0,
            0,
            1);
    regions.add(
        blobRegion(
            gallbladder,
            (x, y, z, level, current) ->
                Tissue.isFiller(current) || current == Tissue.LIVER.ordinal()
                    ? Tissue.GALLBLADDER.ordinal()
                    : current));
  }

  private void addKidneys(RandomGenerator rng) {
    double rightZ = uniform(rng, -55, -25);
    double leftZ = rightZ + uniform(rng, 8, 25);
    for (int side = -1; side <= 1; side += 2) {
      double[] centre = {
        cx + side * uniform(rng, 58, 75), spineY + uniform(rng, -5, 12), side < 0 ? rightZ : leftZ
      };
      double[] semi = {uniform(rng, 24, 31), uniform(rng, 19, 25), uniform(rng, 45, 58)};
      Blob kidney =
          Blob.random(
              rng,
              centre,
              semi,
              new double[] {
                side * uniform(rng, 0.35, 0.6),
                side * uniform(rng, 0.1, 0.3),
                uniform(rng, -0.25, -0.05)
              },
              3,
              0.05,
              0,
              0,
              1);
      double medial = -side;
      regions.add(
          blobRegion(
              kidney,
              (x, y, z, level, current) -> {
                if (!Tissue.isFiller(current) && current != Tissue.LIVER.ordinal()) {
                  return current;
                }
                double towardSpine = medial * (x - centre[0]) / semi[0];
                if (level < 0.75 && towardSpine > 0.3) {
                  return Tissue.RENAL_SINUS.ordinal();
                }
                return level > 0.72
                    ? Tissue.KIDNEY_CORTEX.ordinal()
                    : Tissue.KIDNEY_MEDULLA.ordinal();
              }));
    }
  }

  private void addSpleenAndStomach(RandomGenerator rng) {
    double[] spleenCentre = {
      cx + uniform(rng, 0.55, 0.68) * halfWidth,
      cy + uniform(rng, 0.15, 0.4) * halfDepth,
      domeLeft - uniform(rng, 30, 55)
    };
    Blob spleen =
        Blob.random(
            rng,
            spleenCentre,
            new double[] {uniform(rng, 18, 26), uniform(rng, 40, 60), uniform(rng, 40, 60)},
            new double[] {
              uniform(rng, -0.9, -0.5), uniform(rng, -0.2, 0.2), uniform(rng, -0.2, 0.2)
            },
            4,
            0.10,
            2,
            4,
            60);
    regions.add(
        blobRegion(
            spleen,
            (x, y, z, level, current) ->
                Tissue.isFiller(current) ? Tissue.SPLEEN.ordinal() : current));

    boolean collapsed = rng.nextDouble() < 0.25;
    double scale = collapsed ? 0.6 : 1;
    double[] stomachCentre = {
      cx + uniform(rng, 0.2, 0.4) * halfWidth,
      cy - uniform(rng, 0.1, 0.35) * halfDepth,
      domeLeft - uniform(rng, 35, 60)
    };
    double[] semi = {
      scale * uniform(rng, 35, 55), scale * uniform(rng, 28, 42), scale * uniform(rng, 40, 60)
    };
    Blob stomach =
        Blob.random(
            rng,
            stomachCentre,
            semi,
            new double[] {
              uniform(rng, -0.5, 0.5), uniform(rng, -0.3, 0.3), uniform(rng, -0.3, 0.3)
            },
            4,
            0.12,
            2,
            5,
            60);
    double wall = 4 / ((semi[0] + semi[1] + semi[2]) / 3);
    double level = stomachCentre[1] - semi[1] * uniform(rng, -0.1, 0.6);
    regions.add(
        blobRegion(
            stomach,
            (x, y, z, l, current) -> {
              if (!Tissue.isFiller(current) && current != Tissue.LIVER.ordinal()) {
                return current;
              }
              if (l > 1 - wall || collapsed) {
                return Tissue.GUT_WALL.ordinal();
              }
              return y < level ? Tissue.GAS.ordinal() : Tissue.FLUID.ordinal();
            }));
  }

  private void addPancreas(RandomGenerator rng) {
    double z = uniform(rng, -20, 10);
    double front = spineY - vertebraRadius;
    double[][] points = {
      {cx - uniform(rng, 25, 40), front - uniform(rng, 40, 55), z - 10},
      {cx + uniform(rng, 0, 15), front - uniform(rng, 35, 45), z},
      {
        cx + uniform(rng, 0.3, 0.4) * halfWidth,
        front - uniform(rng, 10, 25),
        z + uniform(rng, 10, 25)
      },
      {
        cx + uniform(rng, 0.45, 0.55) * halfWidth,
        cy + uniform(rng, 0, 0.2) * halfDepth,
        z + uniform(rng, 20, 40)
      }
    };
    double[] radii = {
      uniform(rng, 13, 17), uniform(rng, 9, 12), uniform(rng, 8, 11), uniform(rng, 6, 9)
    };
    regions.add(
        tubeRegion(
            new Tube(points, radii),
            (x, y, zz, depth, current) ->
                Tissue.isFiller(current) ? Tissue.PANCREAS.ordinal() : current));
  }

  private void addHeart(RandomGenerator rng) {
    Blob heart =
        Blob.ellipsoid(
            new double[] {
              cx + uniform(rng, 15, 35),
              cy - uniform(rng, 20, 40),
              Math.min(domeLeft, domeRight) + uniform(rng, 35, 55)
            },
            new double[] {uniform(rng, 55, 70), uniform(rng, 40, 55), uniform(rng, 45, 60)},
            new double[] {uniform(rng, 0.3, 0.7), 0, 0});
    regions.add(
        blobRegion(
            heart,
            (x, y, z, level, current) ->
                current == Tissue.LUNG.ordinal() ? Tissue.HEART.ordinal() : current));
  }

  private void addGreatVessels(RandomGenerator rng, double zLow, double zHigh) {
    double ra = uniform(rng, 9, 13);
    double xa = cx + uniform(rng, 10, 22);
    double ya = spineY - vertebraRadius - ra - uniform(rng, 1, 4);
    double bifurcation = uniform(rng, -130, -100);
    TissueRule aorta =
        (x, y, z, depth, current) -> vesselOver(current) ? Tissue.AORTA.ordinal() : current;
    regions.add(
        tubeRegion(
            new Tube(
                new double[][] {{xa, ya + 5, zHigh}, {xa, ya, 0}, {xa - 5, ya - 3, bifurcation}},
                new double[] {ra, ra, 0.9 * ra}),
            aorta));
    for (int side = -1; side <= 1; side += 2) {
      regions.add(
          tubeRegion(
              new Tube(
                  new double[][] {
                    {xa - 5, ya - 3, bifurcation + 5}, {xa - 5 + side * 45, ya + 5, zLow}
                  },
                  new double[] {0.65 * ra, 0.6 * ra}),
              aorta));
    }
    double ri = uniform(rng, 10, 13);
    double xi = cx - uniform(rng, 18, 28);
    double yi = spineY - vertebraRadius - ri - uniform(rng, 0, 4);
    TissueRule ivc =
        (x, y, z, depth, current) -> vesselOver(current) ? Tissue.IVC.ordinal() : current;
    regions.add(
        tubeRegion(
            new Tube(
                new double[][] {
                  {xi + 10, yi + 5, zLow}, {xi, yi, -60}, {xi, yi - 5, 40}, {xi + 5, yi - 15, zHigh}
                },
                new double[] {ri, ri, 1.1 * ri, 1.2 * ri}),
            ivc));
  }

  private static boolean vesselOver(int current) {
    return current != Tissue.AIR.ordinal()
        && current != Tissue.FAT.ordinal()
        && current != Tissue.BONE_CORTICAL.ordinal()
        && current != Tissue.BONE_CANCELLOUS.ordinal();
  }

  private Region spineRegion(double zLow, double zHigh) {
    double wide = vertebraRadius * 1.15;
    double canalY = spineY + vertebraRadius + 10;
    double[] bounds = {
      cx - vertebraRadius - 45,
      cx + vertebraRadius + 45,
      spineY - vertebraRadius - 2,
      canalY + 45,
      zLow,
      zHigh
    };
    return new Region() {
      @Override
      public double[] boundsMm() {
        return bounds;
      }

      @Override
      public int paint(double x, double y, double z, int current) {
        if (current == Tissue.AIR.ordinal()) {
          return current;
        }
        double phase = ((z - vertebraPhase) % vertebraPeriod + vertebraPeriod) % vertebraPeriod;
        phase /= vertebraPeriod;
        boolean disc = phase < 0.2;
        double dx = x - cx;
        double e = Math.hypot(dx / wide, (y - spineY) / vertebraRadius);
        if (e <= 1) {
          if (disc) {
            return Tissue.DISC.ordinal();
          }
          return e > 1 - 2.5 / vertebraRadius
              ? Tissue.BONE_CORTICAL.ordinal()
              : Tissue.BONE_CANCELLOUS.ordinal();
        }
        double rc = Math.hypot(dx, y - canalY);
        if (rc < 8) {
          return Tissue.CSF.ordinal();
        }
        if (disc) {
          return current;
        }
        if (rc < 14 && y > spineY + vertebraRadius - 3) {
          return Tissue.BONE_CORTICAL.ordinal();
        }
        if (Math.abs(dx) < 3.5 && y > canalY + 10 && y < canalY + 32) {
          return Tissue.BONE_CORTICAL.ordinal();
        }
        if (phase > 0.35
            && phase < 0.75
            && Math.abs(dx) > 0.8 * vertebraRadius
            && Math.abs(dx) < vertebraRadius + 24
            && Math.abs(y - (spineY + vertebraRadius + 6)) < 3.5) {
          return Tissue.BONE_CORTICAL.ordinal();
        }
        return current;
      }
    };
  }

  private void addRibs(RandomGenerator rng) {
    int ribs = 7;
    double pitch = uniform(rng, 22, 27);
    double topHead = domeRight + uniform(rng, 40, 60);
    double drop = uniform(rng, 60, 95);
    double halfHeight = uniform(rng, 4.5, 6.5);
    double[] heads = new double[ribs];
    double[] ends = new double[ribs];
    for (int n = 0; n < ribs; n++) {
      heads[n] = topHead - n * pitch + uniform(rng, -3, 3);
      ends[n] = Math.PI * (0.93 - 0.06 * n + uniform(rng, -0.03, 0.03));
    }
    double zLowest = heads[ribs - 1] - drop - 2 * halfHeight;
    double[] bounds = {-1e6, 1e6, -1e6, 1e6, zLowest, topHead + 2 * halfHeight};
    double start = Math.toRadians(22);
    double cartilage = 0.78 * Math.PI;
    regions.add(
        new Region() {
          @Override
          public double[] boundsMm() {
            return bounds;
          }

          @Override
          public int paint(double x, double y, double z, int current) {
            if (current == Tissue.AIR.ordinal()) {
              return current;
            }
            double[] w = wall(x, y, z);
            double ribDepth = w[2] - 4.5;
            if (Math.abs(w[0] - ribDepth) > 4) {
              return current;
            }
            double phi = Math.atan2(Math.abs(x - cx), y - cy);
            if (phi < start) {
              return current;
            }
            for (int n = 0; n < ribs; n++) {
              if (phi > ends[n]) {
                continue;
              }
              double zr = heads[n] - drop * Math.pow(phi / Math.PI, 1.3);
              if (Math.abs(z - zr) < halfHeight) {
                return phi > cartilage
                    ? Tissue.CARTILAGE.ordinal()
                    : Tissue.BONE_CORTICAL.ordinal();
              }
            }
            return current;
          }
        });
  }
}
