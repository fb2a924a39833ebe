package dev.eveflink.model.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DeviceSelectionTest {

    private static List<String> devices(DeviceSelection selection, List<String> gpus, int subtasks) {
        return IntStream.range(0, subtasks).mapToObj(i -> selection.choose(gpus, i)).toList();
    }

    @Test
    void gpuModeSpreadsSubtasksOverTheReportedGpusInIndexOrder() {
        DeviceSelection gpu = DeviceSelection.parse("gpu");
        // The framework reports a set: any order; "10" must sort after "2".
        assertThat(devices(gpu, List.of("10", "0", "2"), 5))
                .containsExactly("gpu(0)", "gpu(2)", "gpu(10)", "gpu(0)", "gpu(2)");
    }

    @Test
    void gpuModeWithoutAGpuIsAStartupErrorNotACpuFallback() {
        assertThatThrownBy(() -> DeviceSelection.parse("GPU").choose(List.of(), 0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("reports none")
                .hasMessageContaining("'auto' or 'cpu'");
    }

    @Test
    void autoFallsBackToTheCpuOnlyWhenNoGpuIsReported() {
        DeviceSelection auto = DeviceSelection.parse("auto");
        assertThat(auto.choose(List.of(), 3)).isEqualTo("cpu()");
        assertThat(devices(auto, List.of("1", "0"), 3)).containsExactly("gpu(0)", "gpu(1)", "gpu(0)");
    }

    @Test
    void cpuModeIgnoresGpus() {
        assertThat(DeviceSelection.parse("cpu").choose(List.of("0"), 0)).isEqualTo("cpu()");
        assertThat(DeviceSelection.parse(" cpu() ").choose(List.of(), 7)).isEqualTo("cpu()");
    }

    @Test
    void anExplicitListIsUsedInItsOwnOrder() {
        DeviceSelection list = DeviceSelection.parse("gpu(3), 1");
        assertThat(list.explicitGpus()).containsExactly(3, 1);
        // Without the external resource framework (e.g. a MiniCluster) nothing is reported.
        assertThat(devices(list, List.of(), 3)).containsExactly("gpu(3)", "gpu(1)", "gpu(3)");
        assertThat(devices(list, List.of("0", "1", "2", "3"), 2)).containsExactly("gpu(3)", "gpu(1)");
    }

    @Test
    void anExplicitGpuTheTaskManagerDoesNotReportIsAnError() {
        assertThatThrownBy(() -> DeviceSelection.parse("gpu(4)").choose(List.of("0", "1"), 0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("gpu(4)")
                .hasMessageContaining("[0, 1]");
    }

    @Test
    void malformedOptionsAndIndicesNameTheOffendingText() {
        assertThatThrownBy(() -> DeviceSelection.parse("cuda:0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'cuda:0'");
        assertThatThrownBy(() -> DeviceSelection.parse("gpu(0),"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("''");
        assertThatThrownBy(() -> DeviceSelection.parse("gpu").choose(List.of("zero"), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'zero'");
        assertThatThrownBy(() -> DeviceSelection.parse("gpu").choose(List.of("0"), -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("subtaskIndex");
    }
}
