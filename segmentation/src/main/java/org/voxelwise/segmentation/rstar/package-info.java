/**
 * RSTAR4D-Net, the rotational streak reduction network for 4D CBCT (separable and circular
 * convolutions), as DJL blocks: {@link org.voxelwise.segmentation.rstar.Rstar4dNet} (a U-Net over
 * y–x that never resamples the phases T nor z), built from {@link
 * org.voxelwise.segmentation.rstar.SeparableConv4d} (in-plane 3×3 + replicate-padded z taps +
 * circular t taps), configured by {@link org.voxelwise.segmentation.rstar.Rstar4dConfig} (paper-
 * and CPU-sized presets, the z switch, the 3D ablation without t) and trained with {@link
 * org.voxelwise.segmentation.rstar.Rstar4dLoss} (L1 + 0.1 · (1 − SSIM)).
 */
package org.voxelwise.segmentation.rstar;
