/**
 * The few volume algorithms the pipelines need, on flat arrays with the layout of {@link
 * org.voxelwise.imaging.volume.Volume} (index {@code x + sizeX·(y + sizeY·z)}): resampling onto
 * another {@link org.voxelwise.imaging.volume.Geometry} ({@link
 * org.voxelwise.imaging.volume.ops.Resampling}), connected components ({@link
 * org.voxelwise.imaging.volume.ops.ConnectedComponents}), Euclidean distance transforms ({@link
 * org.voxelwise.imaging.volume.ops.DistanceTransform}) and binary morphology ({@link
 * org.voxelwise.imaging.volume.ops.Morphology}).
 */
package org.voxelwise.imaging.volume.ops;
