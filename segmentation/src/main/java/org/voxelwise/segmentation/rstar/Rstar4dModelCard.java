package org.voxelwise.segmentation.rstar;

import com.google.gson.annotations.SerializedName;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code model.json} of a trained RSTAR4D-Net (or its 3D ablation) says: identity, structure,
 * the training stage whose z switch applies, the input scaling and how it was trained. Written and
 * read by {@link Rstar4dModelFiles}.
 *
 * @param id model identifier ({@value #RSTAR4D_ID} or {@value #ABLATION3D_ID})
 * @param version model version, e.g. {@code "0.1.0"}
 * @param variant {@code rstar4d} (t branches on) or {@code ablation3d} (no t branches)
 * @param config the network structure; {@code config.tEnabled()} must match the variant
 * @param stage the "Tetris" stage the parameters come from: the z branches are on after loading
 *     exactly when it is {@link Stage#BLOCKS_4D}
 * @param inputScaleHu the network sees HU / inputScaleHu (both channels) and gives HU /
 *     inputScaleHu (paper: 1000)
 * @param paramsFile the parameter file beside {@code model.json}, {@code rstar4d-NNNN.params}
 * @param training how the parameters were made
 */
public record Rstar4dModelCard(
    String id,
    String version,
    Variant variant,
    Rstar4dConfig config,
    Stage stage,
    double inputScaleHu,
    String paramsFile,
    Training training) {

  /** The id of the streak-reduction model. */
  public static final String RSTAR4D_ID = "voxelwise-cbct-rstar4d";

  /** The id of its 3D ablation. */
  public static final String ABLATION3D_ID = "voxelwise-cbct-ablation3d";

  /** The input scaling of the paper: HU / 1000. */
  public static final double PAPER_SCALE_HU = 1000;

  /** Which network a model folder holds. */
  public enum Variant {
    /** RSTAR4D-Net: in-plane, z and circular t branches. */
    @SerializedName("rstar4d")
    RSTAR4D,
    /** The same network without t branches: each phase processed on its own. */
    @SerializedName("ablation3d")
    ABLATION3D;

    /** The name used on the command line and in {@code model.json}. */
    public String cliName() {
      return this == RSTAR4D ? "rstar4d" : "ablation3d";
    }

    /**
     * Parses {@code rstar4d} or {@code ablation3d}, ignoring case.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static Variant parse(String text) {
      for (Variant v : values()) {
        if (v.cliName().equalsIgnoreCase(text == null ? "" : text.strip())) {
          return v;
        }
      }
      throw new IllegalArgumentException(
          "unknown variant '" + text + "': expected rstar4d or ablation3d");
    }

    /** The model id of this variant. */
    public String modelId() {
      return this == RSTAR4D ? RSTAR4D_ID : ABLATION3D_ID;
    }

    /** {@code config} with the t branches this variant has. */
    public Rstar4dConfig apply(Rstar4dConfig config) {
      return config.withTEnabled(this == RSTAR4D);
    }
  }

  /** The "Tetris" training stages. */
  public enum Stage {
    /** Stage 1: 2D+T slices, z branches off. */
    SLICES_2D_T,
    /** Stage 2: 4D blocks, z branches on. */
    BLOCKS_4D;

    /** Whether the z branches are on in this stage. */
    public boolean zEnabled() {
      return this == BLOCKS_4D;
    }
  }

  /**
   * Validates the card.
   *
   * @throws IllegalArgumentException if a field is missing, the scale is not positive or the
   *     configuration does not match the variant
   */
  public Rstar4dModelCard {
    if (id == null || version == null || variant == null || config == null || stage == null) {
      throw new IllegalArgumentException("id, version, variant, config and stage are required");
    }
    if (training == null) {
      throw new IllegalArgumentException("training is required");
    }
    if (!(inputScaleHu > 0) || Double.isInfinite(inputScaleHu)) {
      throw new IllegalArgumentException("inputScaleHu must be > 0, got " + inputScaleHu);
    }
    if (config.tEnabled() != (variant == Variant.RSTAR4D)) {
      throw new IllegalArgumentException(
          "variant " + variant.cliName() + " does not match tEnabled " + config.tEnabled());
    }
  }

  /**
   * This card with another parameter file name.
   *
   * @param file the file name
   * @return the new card
   */
  public Rstar4dModelCard withParamsFile(String file) {
    return new Rstar4dModelCard(id, version, variant, config, stage, inputScaleHu, file, training);
  }

  /**
   * How a model was trained.
   *
   * @param command the command line that made the parameters
   * @param seed the run's random seed
   * @param data where the training data came from (simulator, seeds, grid, crops)
   * @param validationSeeds simulator seeds of the validation cases
   * @param plannedSteps Adam steps planned per stage (stage name → steps)
   * @param stepsDone Adam steps done when these parameters were saved
   * @param seconds wall-clock training time when these parameters were saved
   * @param finalLosses mean training loss of the last steps of each stage run so far
   * @param validation validation metrics at {@code validationStep} (e.g. {@code psnrDb})
   * @param validationStep the step of that validation, −1 if none
   */
  public record Training(
      String command,
      long seed,
      String data,
      int[] validationSeeds,
      Map<String, Integer> plannedSteps,
      int stepsDone,
      double seconds,
      Map<String, Double> finalLosses,
      Map<String, Double> validation,
      int validationStep) {

    /** Copies the maps. */
    public Training {
      validationSeeds = validationSeeds == null ? new int[0] : validationSeeds.clone();
      plannedSteps = copy(plannedSteps);
      finalLosses = copy(finalLosses);
      validation = copy(validation);
    }

    /** Training information for parameters made outside a training run (e.g. in tests). */
    public static Training noneRecorded() {
      return new Training(
          "none recorded", 0, "none recorded", new int[0], Map.of(), 0, 0, Map.of(), Map.of(), -1);
    }

    private static <V> Map<String, V> copy(Map<String, V> map) {
      return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
  }
}
