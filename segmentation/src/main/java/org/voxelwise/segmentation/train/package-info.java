/**
 * Training of the liver/tumor H-DenseUNet on the abdominal CT simulator: cases generated on the fly
 * ({@link org.voxelwise.segmentation.train.TrainingCase}, {@link
 * org.voxelwise.segmentation.train.CasePool}), liver-biased augmented slab crops ({@link
 * org.voxelwise.segmentation.train.CropSampler}), validation Dice on fixed cases ({@link
 * org.voxelwise.segmentation.train.Validation}) and the staged training loop with checkpoints, loss
 * log and resume ({@link org.voxelwise.segmentation.train.HDenseUNetTraining}).
 */
package org.voxelwise.segmentation.train;
