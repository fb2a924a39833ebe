package dev.eveflink.operators.inference;

import java.util.List;
import org.apache.flink.api.common.externalresource.ExternalResourceInfo;
import org.apache.flink.api.common.functions.RuntimeContext;

/**
 * Reads the GPU indices that Flink's external resource framework reports to a task. Every slot of
 * a TaskManager sees all of its GPUs; {@code DeviceSelection} picks one per subtask.
 */
final class TaskManagerGpus {

    /** Name of Flink's GPU external resource ({@code external-resources: gpu}). */
    static final String RESOURCE = "gpu";
    /** The GPU resource's property holding the device index. */
    static final String INDEX_PROPERTY = "index";

    private TaskManagerGpus() {}

    /** The reported indices, in the framework's (unspecified) order; empty without GPUs. */
    static List<String> indices(RuntimeContext context) {
        return context.getExternalResourceInfos(RESOURCE).stream()
                .map(TaskManagerGpus::index)
                .toList();
    }

    private static String index(ExternalResourceInfo info) {
        return info.getProperty(INDEX_PROPERTY)
                .orElseThrow(
                        () ->
                                new IllegalStateException(
                                        "a '"
                                                + RESOURCE
                                                + "' external resource has no '"
                                                + INDEX_PROPERTY
                                                + "' property, only "
                                                + info.getKeys()));
    }
}
