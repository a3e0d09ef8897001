/**
 * Evaluation metrics: overlap and surface distances of segmentations ({@link
 * org.voxelwise.segmentation.metrics.SegmentationMetrics}: Dice, Hausdorff-95, volume difference)
 * and image fidelity ({@link org.voxelwise.segmentation.metrics.ImageMetrics}: RMSE, PSNR, SSIM).
 */
package org.voxelwise.segmentation.metrics;
