package org.voxelwise.imaging.volume;

import java.util.List;

/**
 * The phases of a 4D (respiratory or cardiac) study: volumes on one voxel grid, in temporal order,
 * each with a label saying which phase it is (e.g. "0%", "trigger 250 ms").
 *
 * @param phases at least one volume; all on the same grid (within 0.01 mm)
 * @param phaseLabels one label per phase, in the same order
 */
public record Volume4D(List<Volume> phases, List<String> phaseLabels) {
  public Volume4D {
    phases = List.copyOf(phases);
    phaseLabels = List.copyOf(phaseLabels);
    if (phases.isEmpty()) {
      throw new IllegalArgumentException("a 4D volume needs at least one phase");
    }
    if (phaseLabels.size() != phases.size()) {
      throw new IllegalArgumentException(
          phases.size() + " phases but " + phaseLabels.size() + " labels");
    }
    Geometry g = phases.get(0).geometry();
    for (int i = 1; i < phases.size(); i++) {
      if (!phases.get(i).geometry().sameGrid(g, 0.01)) {
        throw new IllegalArgumentException("phase " + i + " is not on the grid of phase 0");
      }
    }
  }

  /** The grid shared by all phases. */
  public Geometry geometry() {
    return phases.get(0).geometry();
  }

  public int phaseCount() {
    return phases.size();
  }
}
