package org.voxelwise.app.viewer.results;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.voxelwise.imaging.BadInputException;
import org.voxelwise.imaging.nifti.NiftiReader;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.LabelVolume;
import org.voxelwise.imaging.volume.LiverTumorLabels;
import org.voxelwise.imaging.volume.Volume;

/**
 * Reads a labels file to lay over an image: a NIfTI image of whole numbers 0..255 on the image's
 * grid. Values 1 and 2 are named as {@link LiverTumorLabels} names them (liver, tumor, with their
 * colours and codes); any other value v is named "label v" with a colour from a fixed palette.
 */
public final class LabelFiles {
  /** How far, in mm, the labels' grid may lie from the image's (NIfTI stores floats). */
  public static final double GRID_TOLERANCE_MM = 0.01;

  private static final int[] PALETTE = {
    0x1f77b4, 0xff7f0e, 0x9467bd, 0xe377c2, 0x17becf, 0xbcbd22, 0x8c564b, 0xd62728
  };

  private LabelFiles() {}

  /**
   * Reads {@code file} as labels for an image on {@code imageGrid}.
   *
   * @throws BadInputException when the file cannot be read as NIfTI, holds values that are not
   *     whole numbers 0..255, or its grid differs from {@code imageGrid} (sizes, or spacing, origin
   *     or axes by more than {@value #GRID_TOLERANCE_MM} mm); the message names the file and says
   *     both grids
   */
  public static LabelVolume readNifti(Path file, Geometry imageGrid)
      throws BadInputException, IOException {
    Volume volume = NiftiReader.read(file);
    Geometry g = volume.geometry();
    if (!g.sameGrid(imageGrid, GRID_TOLERANCE_MM)) {
      throw new BadInputException(
          file,
          "the labels' grid does not match the image's: labels "
              + describe(g)
              + ", image "
              + describe(imageGrid));
    }
    byte[] values = new byte[(int) g.voxelCount()];
    boolean[] present = new boolean[256];
    for (int i = 0; i < values.length; i++) {
      float v = volume.valueAt(i);
      if (!(v >= 0 && v <= 255 && v == Math.rint(v))) {
        throw new BadInputException(
            file, "voxel " + i + " holds " + v + ", not a label (a whole number 0..255)");
      }
      values[i] = (byte) v;
      present[(int) v] = true;
    }
    return new LabelVolume(imageGrid, values, tableFor(present));
  }

  private static List<LabelVolume.Label> tableFor(boolean[] present) {
    List<LabelVolume.Label> table = new ArrayList<>();
    for (LabelVolume.Label known : LiverTumorLabels.TABLE) {
      table.add(known);
    }
    for (int v = 1; v < 256; v++) {
      int value = v;
      if (present[v] && table.stream().noneMatch(l -> l.value() == value)) {
        table.add(new LabelVolume.Label(v, "label " + v, PALETTE[v % PALETTE.length], null));
      }
    }
    return table;
  }

  private static String describe(Geometry g) {
    double[] s = g.spacingMm();
    double[] o = g.originMm();
    return String.format(
        java.util.Locale.ROOT,
        "%d×%d×%d, %.3g×%.3g×%.3g mm, origin (%.1f, %.1f, %.1f)",
        g.sizeX(),
        g.sizeY(),
        g.sizeZ(),
        s[0],
        s[1],
        s[2],
        o[0],
        o[1],
        o[2]);
  }
}
