package dev.eveflink.model.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * EVE's image processor constants ({@code preprocessor_config.json}). Validated against the
 * relations EVE's code asserts, so that the padding never splits a conv patch or a pooling window.
 *
 * @param imageSize S, the long side after resizing and the canvas side (672 for EVE-7B, 1344 HD)
 * @param imageSizeClip B, the base grid side (336)
 * @param patchStride conv kernel and stride of the patch embedding (14)
 * @param convStride average-pool window (2)
 * @param patchStrideClip base grid cell (14)
 * @param imageMean per-channel mean (CLIP's)
 * @param imageStd per-channel std (CLIP's)
 * @param rescaleFactor 1/255
 */
public record PreprocessorConfig(
        int imageSize,
        int imageSizeClip,
        int patchStride,
        int convStride,
        int patchStrideClip,
        double[] imageMean,
        double[] imageStd,
        double rescaleFactor) {

    public static final double[] CLIP_MEAN = {0.48145466, 0.4578275, 0.40821073};
    public static final double[] CLIP_STD = {0.26862954, 0.26130258, 0.27577711};
    /** The two processor folders BAAI's EVE checkpoints name; they are published only on Google Drive. */
    private static final Pattern TOWER_NAME = Pattern.compile("eve-patch(14)-anypixel-(672|1344)$");

    public PreprocessorConfig {
        imageMean = imageMean.clone();
        imageStd = imageStd.clone();
        if (imageSize <= 0 || imageSizeClip <= 0 || patchStride <= 0 || convStride <= 0 || patchStrideClip <= 0) {
            throw new ConfigException("image_size, image_size_clip, patch_stride, conv_stride and "
                    + "patch_stride_clip must all be > 0");
        }
        if (imageSize % imageSizeClip != 0) {
            throw new ConfigException("image_size " + imageSize + " is not a multiple of image_size_clip " + imageSizeClip);
        }
        if (imageSizeClip % patchStrideClip != 0) {
            throw new ConfigException(
                    "image_size_clip " + imageSizeClip + " is not a multiple of patch_stride_clip " + patchStrideClip);
        }
        int ratio = imageSize / imageSizeClip;
        if ((patchStrideClip * ratio) % (patchStride * convStride) != 0) {
            throw new ConfigException("patch_stride_clip*ratio = " + patchStrideClip * ratio
                    + " is not a multiple of patch_stride*conv_stride = " + patchStride * convStride);
        }
        for (int c = 0; c < 3; c++) {
            if (!(imageStd[c] > 0)) {
                throw new ConfigException("image_std[" + c + "] must be > 0");
            }
        }
    }

    /** image_size / image_size_clip: 2 for EVE-7B, 4 for HD. */
    public int ratio() {
        return imageSize / imageSizeClip;
    }

    /** The base grid's cells per side, M = B / P. */
    public int baseCells() {
        return imageSizeClip / patchStrideClip;
    }

    @Override
    public double[] imageMean() {
        return imageMean.clone();
    }

    @Override
    public double[] imageStd() {
        return imageStd.clone();
    }

    /**
     * Finds the processor config of a checkpoint: next to {@code config.json}, else in the folder
     * {@code mm_vision_tower} names (relative to the checkpoint), else, for the towers EVE-7B and
     * EVE-7B-HD name ({@code eve-patch14-anypixel-672} / {@code -1344}, which are not on the Hub), the
     * constants EVE's code implies.
     */
    public static PreprocessorConfig read(Path modelDir, EveConfig config) {
        Path local = modelDir.resolve("preprocessor_config.json");
        if (Files.isRegularFile(local)) {
            return fromJson(JsonConfig.read(local));
        }
        String tower = config.visionTower();
        if (!tower.isEmpty()) {
            Path towerFile = modelDir.resolve(tower).resolve("preprocessor_config.json");
            if (Files.isRegularFile(towerFile)) {
                return fromJson(JsonConfig.read(towerFile));
            }
            Matcher m = TOWER_NAME.matcher(tower);
            if (m.find()) {
                int patch = Integer.parseInt(m.group(1));
                int size = Integer.parseInt(m.group(2));
                // EVE's 672 and 1344 towers share the 336 base grid of CLIP-L/14-336.
                int clip = 24 * patch;
                return new PreprocessorConfig(size, clip, patch, 2, patch, CLIP_MEAN, CLIP_STD, 1.0 / 255.0);
            }
        }
        throw new ConfigException(modelDir + ": no preprocessor_config.json (looked next to config.json and in '"
                + tower + "'), and mm_vision_tower is not one of EVE's eve-patch14-anypixel-672/1344 towers");
    }

    static PreprocessorConfig fromJson(JsonConfig json) {
        if (json.optBoolean("do_resize", false) || json.optBoolean("do_center_crop", false)) {
            throw new ConfigException(json.file() + ": do_resize/do_center_crop must be false for EVE "
                    + "(they would desynchronise image and mask)");
        }
        try {
            return new PreprocessorConfig(
                    json.requireInt("image_size"),
                    json.requireInt("image_size_clip"),
                    json.requireInt("patch_stride"),
                    json.requireInt("conv_stride"),
                    json.requireInt("patch_stride_clip"),
                    json.has("image_mean") ? json.requireDoubles("image_mean", 3) : CLIP_MEAN,
                    json.has("image_std") ? json.requireDoubles("image_std", 3) : CLIP_STD,
                    json.optDouble("rescale_factor", 1.0 / 255.0));
        } catch (ConfigException e) {
            throw new ConfigException(json.file() + ": " + e.getMessage(), e);
        }
    }
}
