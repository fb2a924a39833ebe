package dev.eveflink.job.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void writesWhatAJsonParserReadsBack() throws Exception {
        Map<String, Object> part = new LinkedHashMap<>();
        part.put("title", "a \"quoted\" title\\ with\nnewline\u0001");
        part.put("table", Map.of("columns", List.of("a", "b"), "rows", List.of(List.of("x", 1.5), List.of("y", 2))));
        part.put("summary", Map.of("ratio", 0.123456789, "nan", Double.NaN));
        part.put("plots", List.of(Map.of("log_x", false, "series", List.of(Map.of("points",
                List.of(List.of(25, 3.25), List.of(50, 4.0)))))));
        part.put("notes", List.of());

        JsonNode read = new ObjectMapper().readTree(Json.write(part));

        assertThat(read.get("title").asText()).isEqualTo("a \"quoted\" title\\ with\nnewline\u0001");
        assertThat(read.at("/table/rows/0/1").asDouble()).isEqualTo(1.5);
        assertThat(read.at("/table/rows/1/1").asInt()).isEqualTo(2);
        assertThat(read.at("/summary/ratio").asDouble()).isEqualTo(0.1235);
        assertThat(read.at("/summary/nan").isNull()).isTrue();
        assertThat(read.at("/plots/0/log_x").isBoolean()).isTrue();
        assertThat(read.at("/plots/0/series/0/points/1/0").asInt()).isEqualTo(50);
        assertThat(read.at("/plots/0/series/0/points/1/1").asDouble()).isEqualTo(4.0);
        assertThat(read.get("notes").isArray()).isTrue();
    }
}
