package io.ringkv.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GetResultTest {

    private static final CausalContext CONTEXT = CausalContext.of("ctx");
    private static final Sibling APPLES = text("apples");
    private static final Sibling PEARS = text("pears");

    private static Sibling text(String s) {
        return new Sibling(s.getBytes(StandardCharsets.UTF_8), "text/plain");
    }

    /** A resolver that must not be asked: one value or none is nothing to resolve. */
    private static final SiblingResolver NEVER = siblings -> {
        throw new AssertionError("resolver called with " + siblings);
    };

    @Test
    void valueRefusesToPickOneOfSeveralSiblings() {
        GetResult read = new GetResult(List.of(APPLES, PEARS), CONTEXT);
        assertThatIllegalStateException().isThrownBy(read::value).withMessageContaining("2 siblings");
    }

    @Test
    void valueIsTheOnlyValueOrEmptyWhenNotFound() {
        assertThat(new GetResult(List.of(APPLES), CONTEXT).value()).hasValue(APPLES);
        assertThat(new GetResult(List.of(), CONTEXT).value()).isEmpty();
    }

    @Test
    void resolveHandsEverySiblingToTheResolverAndReturnsItsMerge() {
        List<List<Sibling>> asked = new ArrayList<>();
        SiblingResolver union = siblings -> {
            asked.add(siblings);
            return text(String.join("+", siblings.stream().map(Sibling::valueAsString).toList()));
        };
        GetResult read = new GetResult(List.of(APPLES, PEARS), CONTEXT);
        assertThat(read.resolve(union)).hasValue(text("apples+pears"));
        assertThat(asked).containsExactly(List.of(APPLES, PEARS));
        assertThat(read.context()).as("the context to write the merge with is the read's").isEqualTo(CONTEXT);
    }

    @Test
    void resolveLeavesASingleValueAloneAndANotFoundEmpty() {
        assertThat(new GetResult(List.of(APPLES), CONTEXT).resolve(NEVER)).hasValue(APPLES);
        assertThat(new GetResult(List.of(), CONTEXT).resolve(NEVER)).isEmpty();
    }

    @Test
    void theSiblingsCannotBeChangedAfterTheRead() {
        List<Sibling> siblings = new ArrayList<>(List.of(APPLES, PEARS));
        GetResult read = new GetResult(siblings, CONTEXT);
        siblings.clear();
        assertThat(read.siblings()).containsExactly(APPLES, PEARS);
    }
}
