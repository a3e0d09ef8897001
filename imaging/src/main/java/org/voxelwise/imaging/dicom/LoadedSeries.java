package org.voxelwise.imaging.dicom;

import java.util.List;
import org.voxelwise.imaging.volume.Volume;
import org.voxelwise.imaging.volume.Volume4D;

/**
 * A series loaded into memory: its volume (one phase for an ordinary 3D series, several for a 4D
 * one) and what the loader had to report about it.
 *
 * @param seriesInstanceUid the series (the first one, for a study with one series per phase)
 * @param description the series description
 * @param phases the volume(s), all on one grid
 * @param warnings one line each: left-out images, gaps, duplicates, tilt, non-uniform spacing,
 *     unreadable slices — each saying where
 */
public record LoadedSeries(
    String seriesInstanceUid, String description, Volume4D phases, List<String> warnings) {
  public LoadedSeries {
    warnings = List.copyOf(warnings);
  }

  /** The first (for 3D series, the only) phase. */
  public Volume volume() {
    return phases.phases().get(0);
  }

  /** Whether the series has more than one temporal phase. */
  public boolean is4D() {
    return phases.phaseCount() > 1;
  }
}
