package org.voxelwise.segmentation.rstar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.voxelwise.segmentation.rstar.RstarTestSupport.assertClose;
import static org.voxelwise.segmentation.rstar.RstarTestSupport.forward;
import static org.voxelwise.segmentation.rstar.RstarTestSupport.init;
import static org.voxelwise.segmentation.rstar.RstarTestSupport.perturb;
import static org.voxelwise.segmentation.rstar.RstarTestSupport.roll;
import static org.voxelwise.segmentation.rstar.RstarTestSupport.zero;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.voxelwise.segmentation.engine.DjlEnvironment;

/**
 * The separable 4D convolution: circular t padding, replicate z padding, each branch along its own
 * axis only, the stride-2 variant, the zero-initialised z branch.
 */
class SeparableConv4dTest {

  private static final int T = 5;
  private static final int Z = 5;
  private static final int SIDE = 7;

  @BeforeAll
  static void start() {
    DjlEnvironment.configure();
    Engine.getEngine("PyTorch").setRandomSeed(2024);
  }

  private static NDManager manager() {
    return NDManager.newBaseManager(Device.cpu(), "PyTorch");
  }

  @Test
  void rollingAlongTRollsTheOutputTheSameWayWrapAroundIncluded() {
    for (int stride : new int[] {1, 2}) {
      try (NDManager manager = manager()) {
        SeparableConv4d conv = new SeparableConv4d(3, stride, true, true);
        Shape shape = new Shape(2, 2, T, 3, 6, SIDE);
        init(conv, manager, shape);
        perturb(conv, manager, 0.2f);
        NDArray x = manager.randomNormal(shape);
        NDArray y = forward(conv, manager, x);
        assertEquals(conv.getOutputShapes(new Shape[] {shape})[0], y.getShape());
        for (int k : new int[] {1, 3}) {
          assertClose(roll(y, k, 2), forward(conv, manager, roll(x, k, 2)), 1e-5f);
        }
        // the t branch matters: without it, the same input gives another output
        SeparableConv4d noT = new SeparableConv4d(3, stride, true, false);
        init(noT, manager, shape);
        assertFalse(y.allClose(forward(noT, manager, x)));
      }
    }
  }

  /** A 1×1×T×Z×7×7 input with a single 1 at (t, z, 3, 3). */
  private static NDArray delta(NDManager manager, int t, int z) {
    float[] data = new float[T * Z * SIDE * SIDE];
    data[((t * Z + z) * SIDE + 3) * SIDE + 3] = 1;
    return manager.create(data, new Shape(1, 1, T, Z, SIDE, SIDE));
  }

  /**
   * The positions (t, z, y, x) of the non-zero output values of a 1×1×T×Z×7×7 output, as a set of
   * flat indices.
   */
  private static Set<Integer> support(NDArray y) {
    float[] values = y.toFloatArray();
    Set<Integer> nonZero = new TreeSet<>();
    for (int i = 0; i < values.length; i++) {
      if (values[i] != 0) {
        nonZero.add(i);
      }
    }
    return nonZero;
  }

  private static int index(int t, int z, int y, int x) {
    return ((t * Z + z) * SIDE + y) * SIDE + x;
  }

  private static SeparableConv4d branchAlone(NDManager manager, String branch) {
    SeparableConv4d conv = new SeparableConv4d(1, 1, true, true);
    init(conv, manager, new Shape(1, 1, T, Z, SIDE, SIDE));
    perturb(conv, manager, 0.5f);
    if (!branch.equals("inPlane")) {
      zero(conv.inPlaneBranch());
    }
    if (!branch.equals("z")) {
      zero(conv.zBranch());
    }
    if (!branch.equals("t")) {
      zero(conv.tBranch());
    }
    return conv;
  }

  @Test
  void eachBranchSeesOnlyItsOwnAxis() {
    try (NDManager manager = manager()) {
      // t branch: a delta at phase 0 reaches phases T−1, 0, 1 (circular), nothing else
      NDArray t = forward(branchAlone(manager, "t"), manager, delta(manager, 0, 2));
      assertEquals(Set.of(index(T - 1, 2, 3, 3), index(0, 2, 3, 3), index(1, 2, 3, 3)), support(t));
      // z branch: a delta at z 2 reaches z 1, 2, 3 of the same phase and pixel
      NDArray z = forward(branchAlone(manager, "z"), manager, delta(manager, 1, 2));
      assertEquals(Set.of(index(1, 1, 3, 3), index(1, 2, 3, 3), index(1, 3, 3, 3)), support(z));
      // in-plane: the 3×3 neighbourhood in y–x of the same phase and slice
      NDArray plane = forward(branchAlone(manager, "inPlane"), manager, delta(manager, 1, 2));
      Set<Integer> expected = new TreeSet<>();
      for (int y = 2; y <= 4; y++) {
        for (int x = 2; x <= 4; x++) {
          expected.add(index(1, 2, y, x));
        }
      }
      // the in-plane branch carries the bias: subtract it before looking at the support
      float bias = plane.getFloat(0, 0, 0, 0, 0, 0);
      assertEquals(expected, support(plane.sub(bias)));
    }
  }

  @Test
  void zPaddingReplicatesTheEdgeSlices() {
    try (NDManager manager = manager()) {
      SeparableConv4d conv = branchAlone(manager, "z");
      NDArray plane = manager.randomNormal(new Shape(1, 1, T, 1, SIDE, SIDE));
      NDArray constantAlongZ = plane.repeat(3, Z);
      NDArray y = forward(conv, manager, constantAlongZ);
      NDArray first = y.get(":, :, :, 0:1").repeat(3, Z);
      assertClose(first, y, 1e-6f);
      // each voxel is (sum of the taps) × value: the edges see three copies too
      float taps = conv.zBranch().getParameters().valueAt(0).getArray().sum().getFloat();
      assertClose(constantAlongZ.mul(taps), y, 1e-5f);
    }
  }

  @Test
  void theZBranchStartsAtZeroAndIsFrozenWhileOff() {
    try (NDManager manager = manager()) {
      SeparableConv4d conv = new SeparableConv4d(2, 1, false, true);
      init(conv, manager, new Shape(1, 1, T, 1, SIDE, SIDE));
      Parameter zWeight = conv.zBranch().getParameters().valueAt(0);
      assertEquals(0f, zWeight.getArray().abs().sum().getFloat());
      assertFalse(zWeight.requiresGradient());
      conv.setZEnabled(true);
      assertTrue(zWeight.requiresGradient());
      assertTrue(conv.isZEnabled());
      assertEquals(1, conv.zBranch().getParameters().size(), "the z branch has no bias");
    }
  }

  @Test
  void theAblationHasNoTBranchAndOddSizesAreRefused() {
    SeparableConv4d conv = new SeparableConv4d(2, 2, true, false);
    assertFalse(conv.isTEnabled());
    assertNull(conv.tBranch());
    assertThrows(IllegalArgumentException.class, () -> new SeparableConv4d(2, 3, true, true));
    assertThrows(IllegalArgumentException.class, () -> new SeparableConv4d(0, 1, true, true));
    assertThrows(
        IllegalArgumentException.class,
        () -> conv.getOutputShapes(new Shape[] {new Shape(1, 1, 4, 4, 4)}));
    assertEquals(
        new Shape(1, 2, 3, 2, 4, 3),
        conv.getOutputShapes(new Shape[] {new Shape(1, 5, 3, 2, 8, 5)})[0]);
  }
}
