package dev.eveflink.model.engine;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Chooses the device of one parallel subtask from a device option and the GPUs its TaskManager
 * reports. Pure logic: no device is touched.
 *
 * <p>The option (case-insensitive) is one of:
 *
 * <ul>
 *   <li>{@code gpu} (the default): the reported GPUs, subtask {@code i} gets {@code
 *       gpu(indices[i % count])}; no reported GPU is a startup error, never a silent CPU fallback;
 *   <li>{@code auto}: like {@code gpu}, but {@code cpu()} when no GPU is reported;
 *   <li>{@code cpu}: always {@code cpu()};
 *   <li>an explicit list such as {@code gpu(0),gpu(2)} or {@code 0,2}: subtask {@code i} gets
 *       entry {@code i % size}. When GPUs are reported, every listed one must be among them.
 * </ul>
 *
 * <p>Flink's external resource framework reports GPUs as a set in no particular order, so the
 * indices are sorted numerically first: every subtask then sees the same order, and subtasks
 * {@code 0..count-1} of a TaskManager spread over distinct GPUs.
 *
 * @param mode how the device is chosen
 * @param explicitGpus the listed GPU indices (mode {@link Mode#LIST}), else empty
 */
public record DeviceSelection(Mode mode, List<Integer> explicitGpus) implements Serializable {

    /** How a device is chosen. */
    public enum Mode {
        /** A reported GPU, error when there is none. */
        GPU,
        /** A reported GPU, CPU when there is none. */
        AUTO,
        /** Always the CPU. */
        CPU,
        /** A GPU from an explicit list. */
        LIST
    }

    /** DJL's name of the CPU device. */
    public static final String CPU_DEVICE = "cpu()";

    private static final Pattern GPU_ENTRY = Pattern.compile("(?:gpu\\((\\d+)\\)|(\\d+))");

    public DeviceSelection {
        Objects.requireNonNull(mode, "mode");
        explicitGpus = List.copyOf(Objects.requireNonNull(explicitGpus, "explicitGpus"));
        if ((mode == Mode.LIST) == explicitGpus.isEmpty()) {
            throw new IllegalArgumentException(
                    "an explicit GPU list goes with mode LIST only, got " + mode + " " + explicitGpus);
        }
    }

    /** Parses a device option; see the class comment for the grammar. */
    public static DeviceSelection parse(String option) {
        Objects.requireNonNull(option, "device option");
        String text = option.strip().toLowerCase(Locale.ROOT).replace(" ", "");
        switch (text) {
            case "gpu":
                return new DeviceSelection(Mode.GPU, List.of());
            case "auto":
                return new DeviceSelection(Mode.AUTO, List.of());
            case "cpu":
            case "cpu()":
                return new DeviceSelection(Mode.CPU, List.of());
            default:
                return new DeviceSelection(Mode.LIST, parseList(option, text));
        }
    }

    private static List<Integer> parseList(String option, String text) {
        List<Integer> gpus = new ArrayList<>();
        for (String entry : text.split(",", -1)) {
            Matcher m = GPU_ENTRY.matcher(entry);
            if (!m.matches()) {
                throw new IllegalArgumentException(
                        "device option '" + option + "': '" + entry + "' is not gpu, auto, cpu,"
                                + " gpu(N) or N");
            }
            gpus.add(parseIndex(m.group(1) != null ? m.group(1) : m.group(2), option));
        }
        return gpus;
    }

    /**
     * The device for subtask {@code subtaskIndex}.
     *
     * @param reportedGpuIndices the {@code index} properties of the GPUs the TaskManager reports
     *     (any order, may be empty)
     * @param subtaskIndex the subtask's index, >= 0
     * @return {@code "gpu(N)"} or {@code "cpu()"}
     * @throws IllegalStateException when a GPU is required but none (or not the listed one) exists
     */
    public String choose(List<String> reportedGpuIndices, int subtaskIndex) {
        Objects.requireNonNull(reportedGpuIndices, "reportedGpuIndices");
        if (subtaskIndex < 0) {
            throw new IllegalArgumentException("subtaskIndex must be >= 0, got " + subtaskIndex);
        }
        List<Integer> reported = sortedIndices(reportedGpuIndices);
        switch (mode) {
            case CPU:
                return CPU_DEVICE;
            case AUTO:
                return reported.isEmpty() ? CPU_DEVICE : gpu(reported, subtaskIndex);
            case GPU:
                if (reported.isEmpty()) {
                    throw new IllegalStateException(
                            "device option 'gpu' asks for a GPU, but this TaskManager reports none"
                                    + " (configure the 'gpu' external resource, or set the device"
                                    + " option to 'auto' or 'cpu' to run on the CPU)");
                }
                return gpu(reported, subtaskIndex);
            case LIST:
                for (int listed : explicitGpus) {
                    if (!reported.isEmpty() && !reported.contains(listed)) {
                        throw new IllegalStateException(
                                "device option lists gpu(" + listed + "), but this TaskManager"
                                        + " reports only GPUs " + reported);
                    }
                }
                return gpu(explicitGpus, subtaskIndex);
            default:
                throw new AssertionError(mode);
        }
    }

    private static String gpu(List<Integer> indices, int subtaskIndex) {
        return "gpu(" + indices.get(subtaskIndex % indices.size()) + ")";
    }

    private static List<Integer> sortedIndices(List<String> reported) {
        TreeSet<Integer> sorted = new TreeSet<>();
        for (String index : reported) {
            sorted.add(parseIndex(index, "reported GPU index"));
        }
        return List.copyOf(sorted);
    }

    private static int parseIndex(String text, String what) {
        try {
            int index = Integer.parseInt(Objects.requireNonNull(text, what).strip());
            if (index < 0) {
                throw new NumberFormatException("negative");
            }
            return index;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    what + ": GPU index '" + text + "' is not a non-negative integer", e);
        }
    }
}
