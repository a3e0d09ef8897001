package org.voxelwise.segmentation.train;

import org.voxelwise.imaging.volume.Geometry;

/** Cuts network inputs and targets out of {@link Cbct4dCase}s. */
final class Crops {

  /** Values go into the network as HU / {@value}. */
  static final float SCALE_HU = 1000f;

  private Crops() {}

  /**
   * Writes the block z0…z0+depth−1 × y0…y0+side−1 × x0…x0+side−1 of every phase: into {@code input}
   * at {@code inputOffset} as 2×T×depth×side×side (channel 0 the phase's FBP, channel 1 the prior),
   * into {@code target} at {@code targetOffset} as T×depth×side×side (the truth), all HU / {@link
   * #SCALE_HU}, mirrored in x and/or y when asked.
   */
  static void cut(
      Cbct4dCase c,
      int z0,
      int depth,
      int y0,
      int x0,
      int side,
      boolean flipX,
      boolean flipY,
      float[] input,
      int inputOffset,
      float[] target,
      int targetOffset) {
    int nx = c.grid().sizeX();
    int ny = c.grid().sizeY();
    int phases = c.phases();
    int block = depth * side * side;
    for (int p = 0; p < phases; p++) {
      float[] fbp = c.fbp()[p];
      float[] truth = c.truth()[p];
      int j = p * block;
      for (int z = 0; z < depth; z++) {
        for (int y = 0; y < side; y++) {
          int sy = y0 + (flipY ? side - 1 - y : y);
          int row = nx * (sy + ny * (z0 + z));
          for (int x = 0; x < side; x++, j++) {
            int i = row + x0 + (flipX ? side - 1 - x : x);
            input[inputOffset + j] = fbp[i] / SCALE_HU;
            input[inputOffset + phases * block + j] = c.prior()[i] / SCALE_HU;
            target[targetOffset + j] = truth[i] / SCALE_HU;
          }
        }
      }
    }
  }

  /**
   * The side × side tile of every slice centred on the centre of the body's in-plane bounding box
   * (the grid's centre if there is no body), kept inside the grid.
   */
  static Cbct4dCase centredTile(Cbct4dCase c, int side) {
    Geometry g = c.grid();
    int nx = g.sizeX();
    int ny = g.sizeY();
    int nz = g.sizeZ();
    int x0 = nx;
    int x1 = -1;
    int y0 = ny;
    int y1 = -1;
    for (int i = 0; i < c.body().length; i++) {
      if (c.body()[i]) {
        int x = i % nx;
        int y = (i / nx) % ny;
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
    }
    int cx = x1 < 0 ? nx / 2 : (x0 + x1 + 1) / 2;
    int cy = y1 < 0 ? ny / 2 : (y0 + y1 + 1) / 2;
    int tx = Math.max(0, Math.min(nx - side, cx - side / 2));
    int ty = Math.max(0, Math.min(ny - side, cy - side / 2));
    float[][] fbp = new float[c.phases()][];
    float[][] truth = new float[c.phases()][];
    for (int p = 0; p < c.phases(); p++) {
      fbp[p] = tile(c.fbp()[p], g, tx, ty, side);
      truth[p] = tile(c.truth()[p], g, tx, ty, side);
    }
    boolean[] body = new boolean[side * side * nz];
    for (int z = 0, j = 0; z < nz; z++) {
      for (int y = 0; y < side; y++) {
        for (int x = 0; x < side; x++, j++) {
          body[j] = c.body()[tx + x + nx * (ty + y + ny * z)];
        }
      }
    }
    Geometry tileGrid =
        new Geometry(
            side,
            side,
            nz,
            g.spacingMm(),
            g.voxelToPatient(tx, ty, 0),
            g.axisX(),
            g.axisY(),
            g.axisZ());
    return new Cbct4dCase(c.seed(), tileGrid, fbp, tile(c.prior(), g, tx, ty, side), truth, body);
  }

  private static float[] tile(float[] values, Geometry g, int tx, int ty, int side) {
    int nx = g.sizeX();
    int ny = g.sizeY();
    float[] out = new float[side * side * g.sizeZ()];
    for (int z = 0, j = 0; z < g.sizeZ(); z++) {
      for (int y = 0; y < side; y++, j += side) {
        System.arraycopy(values, tx + nx * (ty + y + ny * z), out, j, side);
      }
    }
    return out;
  }
}
