package org.voxelwise.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code view --layout} and {@code --labels} are checked before any window opens (surefire counts
 * as a display).
 */
class ViewCommandTest {
  @Test
  void anUnknownLayoutIsAUsageError() {
    PrintStream old = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = VoxelwiseCommand.run("view", ".", "--layout", "2x2");
    } finally {
      System.setErr(old);
    }
    assertEquals(VoxelwiseCommand.USAGE, code);
    String text = err.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("--layout must be 1x1 or 1x3, not 2x2"), text);
  }

  @Test
  void missingLabelsAreBadInput() {
    PrintStream old = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = VoxelwiseCommand.run("view", ".", "--labels", "no-such-labels.nii.gz");
    } finally {
      System.setErr(old);
    }
    assertEquals(VoxelwiseCommand.BAD_INPUT, code);
    String text = err.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("no-such-labels.nii.gz: no such file"), text);
  }
}
