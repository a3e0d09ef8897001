package org.voxelwise.app.cli;

import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Parses option values of the form {@code XxYxZ} (sizes like {@code 256x256x100}, spacings like
 * {@code 1.5x1.5x2.5}); a malformed value is a usage error (exit 2) naming the option.
 */
final class XyzOption {
  private XyzOption() {}

  /** Three whole numbers ≥ 1. */
  static int[] size(CommandSpec spec, String option, String value, String example) {
    double[] v = parse(spec, option, value, "three whole numbers ≥ 1 like " + example);
    int[] n = new int[3];
    for (int i = 0; i < 3; i++) {
      if (v[i] < 1 || v[i] != Math.rint(v[i]) || v[i] > Integer.MAX_VALUE) {
        throw usage(spec, option, value, "three whole numbers ≥ 1 like " + example);
      }
      n[i] = (int) v[i];
    }
    return n;
  }

  /** Three finite numbers &gt; 0. */
  static double[] spacing(CommandSpec spec, String option, String value, String example) {
    double[] v = parse(spec, option, value, "three numbers > 0 like " + example);
    for (double d : v) {
      if (!(d > 0) || Double.isInfinite(d)) {
        throw usage(spec, option, value, "three numbers > 0 like " + example);
      }
    }
    return v;
  }

  private static double[] parse(CommandSpec spec, String option, String value, String expected) {
    String[] parts = value.toLowerCase(Locale.ROOT).split("x", -1);
    if (parts.length != 3) {
      throw usage(spec, option, value, expected);
    }
    double[] v = new double[3];
    try {
      for (int i = 0; i < 3; i++) {
        v[i] = Double.parseDouble(parts[i].trim());
      }
    } catch (NumberFormatException e) {
      throw usage(spec, option, value, expected);
    }
    return v;
  }

  private static ParameterException usage(
      CommandSpec spec, String option, String value, String expected) {
    return new ParameterException(
        spec.commandLine(), option + " needs " + expected + ", not " + value);
  }
}
