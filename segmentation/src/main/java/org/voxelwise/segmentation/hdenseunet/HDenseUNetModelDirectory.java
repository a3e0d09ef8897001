package org.voxelwise.segmentation.hdenseunet;

import ai.djl.Device;
import ai.djl.Model;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.voxelwise.imaging.BadInputException;
import org.voxelwise.segmentation.engine.ModelFolders;

/**
 * The segmenter's view of a model folder written by {@link HDenseUNetModelFiles} ({@code
 * model.json}, a {@link ModelCard}, and the DJL parameters): what it runs at (spacing, thresholds)
 * and loading with errors a user can read. The built-in model lives on the class path under {@value
 * #BUILT_IN}.
 */
public final class HDenseUNetModelDirectory {
  /** The metadata file of a model folder. */
  public static final String METADATA_FILE = HDenseUNetModelFiles.MODEL_JSON;

  /** Class-path folder of the built-in liver/tumor model. */
  public static final String BUILT_IN = "models/hdenseunet-liver";

  private HDenseUNetModelDirectory() {}

  /**
   * What a saved model is and how to run it.
   *
   * @param id the model's identifier, non-blank
   * @param version its version, non-blank
   * @param config the network structure
   * @param spacingMm [x, y, z] voxel spacing the model runs at, each &gt; 0 (copied)
   * @param liverThreshold probability of liver or tumor above which a voxel is liver, in (0, 1)
   * @param tumorThreshold probability of tumor above which a liver voxel is tumor, in (0, 1)
   */
  public record Metadata(
      String id,
      String version,
      HDenseUNetConfig config,
      double[] spacingMm,
      double liverThreshold,
      double tumorThreshold) {
    /** The default spacing: 1.5 × 1.5 × 2.5 mm. */
    public static final double[] DEFAULT_SPACING_MM = {1.5, 1.5, 2.5};

    /**
     * @throws IllegalArgumentException for a blank id or version, a missing config, a bad spacing
     *     or a threshold outside (0, 1)
     */
    public Metadata {
      if (id == null || id.isBlank() || version == null || version.isBlank()) {
        throw new IllegalArgumentException("a model needs an id and a version");
      }
      if (config == null) {
        throw new IllegalArgumentException("a model needs a config");
      }
      if (spacingMm == null
          || spacingMm.length != 3
          || Arrays.stream(spacingMm).anyMatch(s -> !(s > 0) || Double.isInfinite(s))) {
        throw new IllegalArgumentException(
            "spacingMm must be 3 values > 0: " + Arrays.toString(spacingMm));
      }
      spacingMm = spacingMm.clone();
      for (double t : new double[] {liverThreshold, tumorThreshold}) {
        if (!(t > 0 && t < 1)) {
          throw new IllegalArgumentException("thresholds must be in (0, 1): " + t);
        }
      }
    }

    /** Metadata with the default spacing and the paper's thresholds (liver 0.5, tumor 0.9). */
    public static Metadata withDefaults(String id, String version, HDenseUNetConfig config) {
      return new Metadata(id, version, config, DEFAULT_SPACING_MM, 0.5, 0.9);
    }

    @Override
    public double[] spacingMm() {
      return spacingMm.clone();
    }

    /** What a model card says about running the model. */
    public static Metadata of(ModelCard card) {
      return new Metadata(
          card.id(),
          card.version(),
          card.config(),
          card.preprocessing().spacingMm(),
          card.thresholds().getOrDefault("liver", 0.5),
          card.thresholds().getOrDefault("tumor", 0.9));
    }

    /** This metadata with another spacing. */
    public Metadata withSpacingMm(double[] spacing) {
      return new Metadata(id, version, config, spacing, liverThreshold, tumorThreshold);
    }
  }

  /**
   * A model loaded onto a device, with its metadata. Closing it frees the native memory.
   *
   * @param model the DJL model, its block an {@link HDenseUNet} with the saved parameters
   * @param metadata what the folder's {@value #METADATA_FILE} says
   * @param directory the folder it was loaded from
   */
  public record Loaded(Model model, Metadata metadata, Path directory) implements AutoCloseable {
    /** The network. */
    public HDenseUNet network() {
      return (HDenseUNet) model.getBlock();
    }

    @Override
    public void close() {
      model.close();
    }
  }

  /**
   * Reads {@value #METADATA_FILE} of a model folder.
   *
   * @throws BadInputException when the file is missing or malformed
   */
  public static Metadata readMetadata(Path dir) throws BadInputException {
    Path file = dir.resolve(METADATA_FILE);
    if (!Files.isRegularFile(file)) {
      throw new BadInputException(dir, "not a model folder (no " + METADATA_FILE + ")");
    }
    try {
      return Metadata.of(HDenseUNetModelFiles.readCard(dir));
    } catch (IOException | RuntimeException e) {
      throw new BadInputException(file, "malformed model metadata (" + e.getMessage() + ")", e);
    }
  }

  /**
   * Loads a model folder onto a device, the network in inference stage {@link
   * HDenseUNet.Stage#END_TO_END}.
   *
   * @throws BadInputException when the folder is not a model, its parameters are missing, or they
   *     do not fit the configuration
   */
  public static Loaded load(Path dir, Device device) throws BadInputException {
    Metadata metadata = readMetadata(dir);
    try {
      HDenseUNetModelFiles.Loaded files = HDenseUNetModelFiles.load(dir, device);
      files.network().setStage(HDenseUNet.Stage.END_TO_END);
      return new Loaded(files.model(), metadata, dir);
    } catch (IOException | RuntimeException e) {
      throw new BadInputException(
          dir, "the model's parameters cannot be loaded (" + e.getMessage() + ")", e);
    }
  }

  /**
   * Saves an initialized model with this metadata as a model folder (for models made outside
   * training, e.g. in tests): a {@link ModelCard} with the metadata's spacing and thresholds, the
   * standard HU window, and training information saying that none was recorded.
   *
   * @param model a model whose block is an initialized {@link HDenseUNet} of the metadata's config
   * @throws IOException when the folder cannot be written
   */
  public static void save(Path dir, Model model, Metadata metadata) throws IOException {
    HDenseUNetConfig config = metadata.config();
    Preprocessing defaults = Preprocessing.defaults(config.slabDepth(), 256);
    ModelCard card =
        new ModelCard(
            metadata.id(),
            metadata.version(),
            config,
            HDenseUNet.Stage.END_TO_END,
            new Preprocessing(
                metadata.spacingMm(),
                defaults.huMin(),
                defaults.huMax(),
                defaults.huCentre(),
                defaults.huScale(),
                defaults.slabDepth(),
                defaults.tileSize()),
            ModelCard.LIVER_CLASSES,
            Map.of("liver", metadata.liverThreshold(), "tumor", metadata.tumorThreshold()),
            null,
            new ModelCard.Training(
                "none recorded",
                0,
                "none recorded",
                new int[0],
                Map.of(),
                0,
                0,
                Map.of(),
                Map.of(),
                -1));
    HDenseUNetModelFiles.save(model, card, dir);
  }

  /**
   * The built-in model as a folder: the class-path folder itself when it lies on disk, or a copy in
   * a new temporary folder when it is inside a jar.
   *
   * @return the folder, or empty when the class path holds no built-in model
   * @throws IOException when the jar cannot be read or the copy cannot be written
   */
  public static Optional<Path> builtIn() throws IOException {
    return ModelFolders.builtIn(HDenseUNetModelDirectory.class, BUILT_IN, METADATA_FILE);
  }
}
