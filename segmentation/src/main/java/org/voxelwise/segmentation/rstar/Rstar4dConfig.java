package org.voxelwise.segmentation.rstar;

import java.util.Arrays;

/**
 * The size and switches of an {@link Rstar4dNet}.
 *
 * @param widths channels of each U-Net level, shallowest first (paper: 16, 32, 64, 128); the
 *     network has {@code widths.length} levels, so Y and X must be multiples of 2^(levels − 1)
 * @param zEnabled whether the z branches start switched on ({@link Rstar4dNet#setZEnabled}); off
 *     for "Tetris" stage 1 on 2D+T slices
 * @param tEnabled whether the network has t branches; false builds the 3D ablation
 * @param negativeSlope the LeakyReLU slope (paper: 0.2)
 * @param priorResidual whether the output is the prior (input channel 1) plus the network's last
 *     convolution, which then starts at zero weights so that an untrained network returns the
 *     prior; the paper's public code has no global residual (false)
 */
public record Rstar4dConfig(
    int[] widths, boolean zEnabled, boolean tEnabled, float negativeSlope, boolean priorResidual) {

  /** Input channels: the phase's FBP image and the prior, both HU/1000. */
  public static final int INPUT_CHANNELS = 2;

  /**
   * Checks and copies the widths.
   *
   * @throws IllegalArgumentException if there are fewer than 2 levels, a width is below 1 or the
   *     slope is negative or not finite
   */
  public Rstar4dConfig {
    if (widths.length < 2
        || Arrays.stream(widths).anyMatch(w -> w < 1)
        || !(negativeSlope >= 0 && Float.isFinite(negativeSlope))) {
      throw new IllegalArgumentException(
          "need 2 or more widths ≥ 1 and a finite slope ≥ 0, got "
              + Arrays.toString(widths)
              + ", "
              + negativeSlope);
    }
    widths = widths.clone();
  }

  /** A configuration without global residual, as the paper's public code. */
  public Rstar4dConfig(int[] widths, boolean zEnabled, boolean tEnabled, float negativeSlope) {
    this(widths, zEnabled, tEnabled, negativeSlope, false);
  }

  /** The paper's network: widths 16/32/64/128, z and t on, LeakyReLU 0.2, no global residual. */
  public static Rstar4dConfig paper() {
    return new Rstar4dConfig(new int[] {16, 32, 64, 128}, true, true, 0.2f);
  }

  /**
   * A network that trains on two CPU cores: widths 8/16/32, z and t on, LeakyReLU 0.2, and the
   * prior as global residual (with the few hundred steps a CPU affords, a network that must first
   * learn to reproduce its input does not get past the prior).
   */
  public static Rstar4dConfig cpu() {
    return new Rstar4dConfig(new int[] {8, 16, 32}, true, true, 0.2f, true);
  }

  /** The same configuration with the z branches starting on or off. */
  public Rstar4dConfig withZEnabled(boolean enabled) {
    return new Rstar4dConfig(widths, enabled, tEnabled, negativeSlope, priorResidual);
  }

  /** The same configuration with or without t branches ({@code false}: the 3D ablation). */
  public Rstar4dConfig withTEnabled(boolean enabled) {
    return new Rstar4dConfig(widths, zEnabled, enabled, negativeSlope, priorResidual);
  }

  /** The same configuration with or without the prior as global residual. */
  public Rstar4dConfig withPriorResidual(boolean residual) {
    return new Rstar4dConfig(widths, zEnabled, tEnabled, negativeSlope, residual);
  }

  @Override
  public int[] widths() {
    return widths.clone();
  }

  /** The number of levels. */
  public int levels() {
    return widths.length;
  }

  /** What Y and X must be multiples of: 2^(levels − 1). */
  public int inPlaneMultiple() {
    return 1 << (widths.length - 1);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Rstar4dConfig c
        && Arrays.equals(widths, c.widths)
        && zEnabled == c.zEnabled
        && tEnabled == c.tEnabled
        && Float.compare(negativeSlope, c.negativeSlope) == 0
        && priorResidual == c.priorResidual;
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(widths)
        + Boolean.hashCode(zEnabled) * 7
        + Boolean.hashCode(tEnabled)
        + Float.hashCode(negativeSlope) * 3
        + Boolean.hashCode(priorResidual) * 5;
  }

  @Override
  public String toString() {
    return "Rstar4dConfig[widths="
        + Arrays.toString(widths)
        + ", zEnabled="
        + zEnabled
        + ", tEnabled="
        + tEnabled
        + ", negativeSlope="
        + negativeSlope
        + ", priorResidual="
        + priorResidual
        + "]";
  }
}
