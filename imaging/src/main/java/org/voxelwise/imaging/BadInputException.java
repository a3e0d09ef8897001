package org.voxelwise.imaging;

import java.nio.file.Path;

/**
 * Input that cannot be used as asked: a file that is not what it should be, a series without pixel
 * data, a volume of the wrong shape. The message always names the file (or series) and the problem
 * in one line, so that it can be shown to a user as it is.
 */
public class BadInputException extends Exception {
  private final String source;
  private final String problem;

  /**
   * @param source the file, folder or series the problem is in (as the user would recognise it)
   * @param problem what is wrong, in words, without the source
   */
  public BadInputException(String source, String problem) {
    this(source, problem, null);
  }

  public BadInputException(String source, String problem, Throwable cause) {
    super(source + ": " + problem, cause);
    this.source = source;
    this.problem = problem;
  }

  public BadInputException(Path source, String problem) {
    this(source.toString(), problem, null);
  }

  public BadInputException(Path source, String problem, Throwable cause) {
    this(source.toString(), problem, cause);
  }

  /** The file, folder or series the problem is in. */
  public String source() {
    return source;
  }

  /** What is wrong, without the source. */
  public String problem() {
    return problem;
  }
}
