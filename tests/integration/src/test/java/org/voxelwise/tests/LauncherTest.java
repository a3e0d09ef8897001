package org.voxelwise.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./voxelwise} launcher: runs the command line from any working directory, with paths
 * relative to the caller's, and passes the exit code on. When sources are newer than the build it
 * builds first (a minute or so).
 */
class LauncherTest {
  @TempDir Path dir;

  @Test
  void runsInTheCallersDirectory() throws Exception {
    Cli.ok("simulate", "phantom", "--seed", 2, "--out", dir.resolve("phantom"));
    String launcher = Cli.root().resolve("voxelwise").toString();

    Cli.Result ok = Cli.process(List.of(launcher, "info", "phantom", "--json"), dir, 600);
    assertEquals(0, ok.exitCode(), ok::toString);
    JsonObject info = JsonParser.parseString(ok.out()).getAsJsonObject();
    assertEquals("phantom", info.get("path").getAsString());
    assertEquals(
        48,
        info.getAsJsonArray("series").get(0).getAsJsonObject().get("slices").getAsInt(),
        ok::toString);

    Cli.Result missing = Cli.process(List.of(launcher, "info", "missing"), dir, 600);
    assertEquals(1, missing.exitCode(), missing::toString);
    List<String> lines = missing.err().lines().toList();
    assertEquals("voxelwise: missing: does not exist", lines.get(lines.size() - 1));
    Cli.assertNoStackTrace(missing);
  }
}
