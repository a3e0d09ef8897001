package org.voxelwise.segmentation.hdenseunet;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code model.json} of a trained H-DenseUNet says: identity, structure, the stage whose
 * output is the prediction, input pre-processing, classes, decision thresholds and how it was
 * trained. Written and read by {@link HDenseUNetModelFiles}.
 *
 * @param id model identifier, {@value #LIVER_ID} for the liver/tumor model
 * @param version model version, e.g. {@code "0.1.0"}
 * @param config the network structure
 * @param stage the stage to set after loading: its output 0 is the prediction ({@link
 *     HDenseUNet.Stage#TWO_D} for a model trained in the 2D stage only)
 * @param preprocessing spacing, HU window and scaling, slab depth and tile size
 * @param classNames one name per class, in output-channel order
 * @param thresholds softmax probability thresholds by class name (liver: of liver + tumor)
 * @param paramsFile the parameter file beside {@code model.json}, {@code hdenseunet-NNNN.params}
 * @param training how the parameters were made
 */
public record ModelCard(
    String id,
    String version,
    HDenseUNetConfig config,
    HDenseUNet.Stage stage,
    Preprocessing preprocessing,
    List<String> classNames,
    Map<String, Double> thresholds,
    String paramsFile,
    Training training) {

  /** The id of the liver and tumor model. */
  public static final String LIVER_ID = "voxelwise-liver-hdenseunet";

  /** Class names of the liver and tumor model. */
  public static final List<String> LIVER_CLASSES = List.of("background", "liver", "tumor");

  /** Default thresholds of the public H-DenseUNet code: liver 0.5, tumor 0.9. */
  public static final Map<String, Double> DEFAULT_THRESHOLDS =
      Collections.unmodifiableMap(new LinkedHashMap<>(Map.of("liver", 0.5, "tumor", 0.9)));

  /**
   * Validates the card.
   *
   * @throws IllegalArgumentException if a field is missing or the class names do not match the
   *     configuration
   */
  public ModelCard {
    if (id == null || version == null || config == null || stage == null) {
      throw new IllegalArgumentException("id, version, config and stage are required");
    }
    if (preprocessing == null || classNames == null || thresholds == null || training == null) {
      throw new IllegalArgumentException(
          "preprocessing, classNames, thresholds and training are required");
    }
    if (classNames.size() != config.classes()) {
      throw new IllegalArgumentException(
          classNames.size() + " class names for " + config.classes() + " classes");
    }
    classNames = List.copyOf(classNames);
    thresholds = Collections.unmodifiableMap(new LinkedHashMap<>(thresholds));
  }

  /**
   * This card with another parameter file name.
   *
   * @param file the file name
   * @return the new card
   */
  public ModelCard withParamsFile(String file) {
    return new ModelCard(
        id, version, config, stage, preprocessing, classNames, thresholds, file, training);
  }

  /**
   * How a model was trained.
   *
   * @param command the command line that made the parameters
   * @param seed the run's random seed
   * @param data where the training data came from (simulator, seeds, grid)
   * @param validationSeeds phantom seeds of the validation cases
   * @param plannedSteps Adam steps planned per stage (stage name → steps)
   * @param stepsDone Adam steps done when these parameters were saved
   * @param seconds wall-clock training time when these parameters were saved
   * @param finalLosses mean training loss of the last steps of each stage run so far
   * @param validationDice validation Dice at {@code validationStep} ({@code liver}, {@code tumor})
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
      Map<String, Double> validationDice,
      int validationStep) {}
}
