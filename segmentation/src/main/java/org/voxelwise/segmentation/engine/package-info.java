/**
 * DJL set-up for the deep-learning code: the offline, no-telemetry, persistent-cache configuration
 * ({@link org.voxelwise.segmentation.engine.DjlEnvironment}) and the choice of the device a model
 * runs on ({@link org.voxelwise.segmentation.engine.DeviceChoice}).
 */
package org.voxelwise.segmentation.engine;
