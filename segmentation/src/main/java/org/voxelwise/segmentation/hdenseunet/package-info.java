/**
 * The H-DenseUNet liver and tumor segmentation network (Li et al., IEEE TMI 2018) as DJL blocks:
 * {@link org.voxelwise.segmentation.hdenseunet.HDenseUNet} (2D DenseUNet on 3-slice inputs, 3D
 * DenseUNet with auto-context, hybrid feature fusion; staged training), its parts {@link
 * org.voxelwise.segmentation.hdenseunet.DenseUNet2D}, {@link
 * org.voxelwise.segmentation.hdenseunet.DenseUNet3D} and {@link
 * org.voxelwise.segmentation.hdenseunet.HybridFeatureFusion}, the structure's configuration {@link
 * org.voxelwise.segmentation.hdenseunet.HDenseUNetConfig} (paper- and CPU-sized presets) and the
 * training loss {@link org.voxelwise.segmentation.hdenseunet.SegmentationLoss}, and trained models
 * on disk: {@link org.voxelwise.segmentation.hdenseunet.HDenseUNetModelFiles} (a folder of {@code
 * model.json}, a {@link org.voxelwise.segmentation.hdenseunet.ModelCard} with the input {@link
 * org.voxelwise.segmentation.hdenseunet.Preprocessing}, and the parameters).
 */
package org.voxelwise.segmentation.hdenseunet;
