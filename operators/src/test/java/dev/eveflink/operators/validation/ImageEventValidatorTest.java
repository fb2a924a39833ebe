package dev.eveflink.operators.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eveflink.operators.avro.ImageEvent;
import dev.eveflink.operators.avro.Task;
import dev.eveflink.operators.errors.ErrorCode;
import dev.eveflink.operators.errors.EventError;
import dev.eveflink.operators.testutils.ImageEvents;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

class ImageEventValidatorTest {

    private static final ImageEventValidator VALIDATOR =
            new ImageEventValidator(
                    ValidationOptions.defaults()
                            .withMaxQuestionChars(10)
                            .withMaxNewTokensLimit(64));

    @Test
    void acceptsWellFormedEvents() {
        assertThat(VALIDATOR.validate(ImageEvents.caption("a", new byte[] {1}))).isEmpty();
        assertThat(VALIDATOR.validate(ImageEvents.vqaByUri("b", "file:/x.png", "Red?"))).isEmpty();
        assertThat(VALIDATOR.validate(ImageEvents.moderateFull("c"))).isEmpty();
        assertThat(VALIDATOR.validate(with(e -> e.setPriority(0)))).isEmpty();
        assertThat(VALIDATOR.validate(with(e -> e.setPriority(9)))).isEmpty();
        assertThat(VALIDATOR.validate(with(e -> e.setQuestion("0123456789")))).isEmpty();
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("blank id", with(e -> e.setId(" ")), ErrorCode.MISSING_ID),
                Arguments.of(
                        "unknown task", with(e -> e.setTask(Task.UNKNOWN)), ErrorCode.UNKNOWN_TASK),
                Arguments.of(
                        "vqa without question",
                        with(e -> e.setTask(Task.VQA)),
                        ErrorCode.MISSING_QUESTION),
                Arguments.of(
                        "vqa blank question",
                        with(e -> e.setTask(Task.VQA).setQuestion("  ")),
                        ErrorCode.MISSING_QUESTION),
                Arguments.of(
                        "question too long",
                        with(e -> e.setQuestion("01234567890")),
                        ErrorCode.QUESTION_TOO_LONG),
                Arguments.of(
                        "priority -1",
                        with(e -> e.setPriority(-1)),
                        ErrorCode.PRIORITY_OUT_OF_RANGE),
                Arguments.of(
                        "priority 10",
                        with(e -> e.setPriority(10)),
                        ErrorCode.PRIORITY_OUT_OF_RANGE),
                Arguments.of(
                        "maxNewTokens 0",
                        with(e -> e.setMaxNewTokens(0)),
                        ErrorCode.MAX_NEW_TOKENS_OUT_OF_RANGE),
                Arguments.of(
                        "maxNewTokens over limit",
                        with(e -> e.setMaxNewTokens(65)),
                        ErrorCode.MAX_NEW_TOKENS_OUT_OF_RANGE),
                Arguments.of(
                        "empty policies",
                        with(e -> e.setPolicies(List.of())),
                        ErrorCode.INVALID_POLICIES),
                Arguments.of(
                        "blank policy",
                        with(e -> e.setPolicies(Arrays.asList("ok", ""))),
                        ErrorCode.INVALID_POLICIES));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void refusesWithATypedCodeNamingTheEvent(String name, ImageEvent event, ErrorCode expected) {
        Optional<EventError> error = VALIDATOR.validate(event);
        assertThat(error).isPresent();
        assertThat(error.get().code()).isEqualTo(expected);
        if (expected != ErrorCode.MISSING_ID) {
            assertThat(error.get().message()).contains(event.getId());
        }
    }

    private static ImageEvent with(UnaryOperator<ImageEvent.Builder> change) {
        return change.apply(ImageEvent.newBuilder(ImageEvents.caption("ev-9", new byte[] {1})))
                .build();
    }
}
