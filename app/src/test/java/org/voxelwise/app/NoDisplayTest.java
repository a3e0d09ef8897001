package org.voxelwise.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher without a display: one line on stderr pointing to the command line, exit code 1. */
class NoDisplayTest {
  @Test
  void saysThereIsNoDisplayAndExitsWithOne(@TempDir Path temp)
      throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path stdout = temp.resolve("stdout");
    Path stderr = temp.resolve("stderr");
    ProcessBuilder builder =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "-Dai.djl.offline=true",
                "org.voxelwise.app.Main")
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile());
    Map<String, String> env = builder.environment();
    env.remove("DISPLAY");
    env.remove("WAYLAND_DISPLAY");
    // The JVM announces these on stderr; they are not the application's output.
    env.remove("JAVA_TOOL_OPTIONS");
    env.remove("_JAVA_OPTIONS");
    env.remove("JDK_JAVA_OPTIONS");

    long start = System.nanoTime();
    Process process = builder.start();
    boolean exited = process.waitFor(20, TimeUnit.SECONDS);
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    if (!exited) {
      process.destroyForcibly();
    }

    assertTrue(exited, "exits without waiting for a window");
    assertTrue(elapsedMs < 10_000, "exits within a few seconds, took " + elapsedMs + " ms");
    List<String> errLines = Files.readAllLines(stderr, StandardCharsets.UTF_8);
    assertEquals(1, errLines.size(), "one line on stderr: " + errLines);
    String line = errLines.get(0);
    assertTrue(line.contains("no display"), line);
    assertTrue(line.contains("command line") && line.contains("./voxelwise"), line);
    assertEquals("", Files.readString(stdout, StandardCharsets.UTF_8));
    assertEquals(1, process.exitValue());
  }
}
