package org.voxelwise.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.voxelwise.app.cli.VoxelwiseCommand;

/** Runs the command line in process or as a real process, and checks what it prints. */
final class Cli {
  private Cli() {}

  /** What one run of the command line gave. */
  record Result(int exitCode, String out, String err) {
    /** The lines of stderr that start with "voxelwise: ". */
    List<String> errorLines() {
      return err.lines().filter(l -> l.startsWith("voxelwise: ")).toList();
    }

    JsonObject json() {
      return JsonParser.parseString(out).getAsJsonObject();
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout:\n" + out + "\n--- stderr:\n" + err;
    }
  }

  /** Runs {@code voxelwise ARGS} in this JVM. */
  static Result run(Object... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        VoxelwiseCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), strings(args));
    return new Result(code, out.toString(), err.toString());
  }

  /** Runs {@code voxelwise ARGS} in this JVM and asserts exit code 0. */
  static Result ok(Object... args) {
    Result r = run(args);
    assertEquals(0, r.exitCode(), () -> "voxelwise " + Arrays.toString(args) + "\n" + r);
    return r;
  }

  /** The repository root: the folder above this module's working directory with the launcher. */
  static Path root() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("voxelwise")) && Files.isDirectory(p.resolve("app"))) {
        return p;
      }
    }
    throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
  }

  /**
   * Runs {@code org.voxelwise.app.Main ARGS} as a Java process on the application's built class
   * path ({@code app/target/classes} and {@code app/target/voxelwise.classpath}, written by {@code
   * mvn package}).
   */
  static Result java(Object... args) throws IOException, InterruptedException {
    return process(javaCommand(args), Path.of("").toAbsolutePath(), 120);
  }

  /** The command line of {@link #java}, to start the process another way. */
  static List<String> javaCommand(Object... args) throws IOException {
    Path app = root().resolve("app/target");
    Path classpathFile = app.resolve("voxelwise.classpath");
    assertTrue(
        Files.isRegularFile(classpathFile),
        classpathFile + " is missing: build the application first (mvn package)");
    String classpath =
        app.resolve("classes") + ":" + Files.readString(classpathFile, StandardCharsets.UTF_8);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Dai.djl.offline=true");
    command.add("-cp");
    command.add(classpath.strip());
    command.add("org.voxelwise.app.Main");
    command.addAll(List.of(strings(args)));
    return command;
  }

  /** Runs a command as a process in {@code cwd}, waiting at most {@code timeoutSeconds}. */
  static Result process(List<String> command, Path cwd, long timeoutSeconds)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile("voxelwise-out", ".txt");
    Path err = Files.createTempFile("voxelwise-err", ".txt");
    try {
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .directory(cwd.toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile());
      pb.environment().remove("VOXELWISE_DEBUG");
      pb.environment().put("OPT_OUT_TRACKING", "true");
      Process p = pb.start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
        throw new AssertionError(command + " did not finish in " + timeoutSeconds + " s");
      }
      return new Result(
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /**
   * Asserts a bad-input failure: exit code 1 and exactly one line on stderr starting with
   * "voxelwise: ", naming {@code path} and containing {@code problem}, and no stack trace.
   */
  static void assertBadInput(Result r, Path path, String problem) {
    assertEquals(1, r.exitCode(), r::toString);
    List<String> lines = r.errorLines();
    assertEquals(1, lines.size(), () -> "one error line expected\n" + r);
    String line = lines.get(0);
    assertTrue(line.contains(path.toString()), () -> "the line must name " + path + "\n" + r);
    assertTrue(line.contains(problem), () -> "the line must say \"" + problem + "\"\n" + r);
    assertNoStackTrace(r);
  }

  /** Asserts that stderr holds no stack trace nor exception class name. */
  static void assertNoStackTrace(Result r) {
    assertFalse(r.err().contains("at org."), r::toString);
    assertFalse(r.err().contains("at java."), r::toString);
    assertFalse(r.err().contains("Exception"), r::toString);
  }

  private static String[] strings(Object... args) {
    return Arrays.stream(args).map(String::valueOf).toArray(String[]::new);
  }
}
