package io.ringkv.checker.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.checker.CheckerResult;
import io.ringkv.checker.Verdict;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class JudgeTest {

    private static final Path DIR = Path.of("runs/x");
    private static final List<Promises.Promise> PROMISES = List.of(
            new Promises.Promise("linearizability", false, "sloppy quorums"),
            new Promises.Promise("lost-writes", true, "siblings"),
            new Promises.Promise("convergence", true, "final reads"));

    private record Result(String checker, Verdict verdict) implements CheckerResult {
        @Override
        public String summary() {
            return checker + " " + verdict;
        }
    }

    @Test
    void aViolatedPromiseFailsTheRunWhateverElseHappened() {
        RunOutcome o = Judge.judge(List.of(new Result("linearizability", Verdict.OK),
                new Result("lost-writes", Verdict.ILLEGAL), new Result("convergence", Verdict.UNKNOWN)),
                PROMISES, List.of("partition faults were requested but skipped"), DIR);
        assertThat(o.verdict()).isEqualTo(Verdict.ILLEGAL);
        assertThat(o.exitCode()).isEqualTo(1);
        assertThat(o.headline()).contains("lost-writes");
    }

    @Test
    void aViolationTheConfigurationAllowsIsReportedButPasses() {
        RunOutcome o = Judge.judge(List.of(new Result("linearizability", Verdict.ILLEGAL),
                new Result("lost-writes", Verdict.OK), new Result("convergence", Verdict.OK)), PROMISES, List.of(), DIR);
        assertThat(o.exitCode()).isZero();
        assertThat(o.headline()).contains("not promised and violated").contains("linearizability");
    }

    @Test
    void anIncompleteRunIsNeverAPass() {
        RunOutcome o = Judge.judge(List.of(new Result("linearizability", Verdict.OK),
                new Result("lost-writes", Verdict.OK), new Result("convergence", Verdict.OK)), PROMISES,
                List.of("partition faults were requested but skipped"), DIR);
        assertThat(o.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(o.exitCode()).isEqualTo(2);
        assertThat(o.headline()).contains("skipped");
    }

    @Test
    void anUndecidedPromiseIsUnknownAndAnUndecidedExtraIsNot() {
        assertThat(Judge.judge(List.of(new Result("lost-writes", Verdict.OK), new Result("convergence", Verdict.UNKNOWN)),
                PROMISES, List.of(), DIR).exitCode()).isEqualTo(2);
        assertThat(Judge.judge(List.of(new Result("linearizability", Verdict.UNKNOWN),
                new Result("lost-writes", Verdict.OK), new Result("convergence", Verdict.OK)), PROMISES, List.of(), DIR)
                .exitCode()).isZero();
    }

    @Test
    void aPromiseWithoutAnyResultIsUndecidedNeverHeld() {
        RunOutcome o = Judge.judge(List.of(new Result("lost-writes", Verdict.OK)), PROMISES, List.of(), DIR);
        assertThat(o.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(o.exitCode()).isEqualTo(2);
        assertThat(o.headline()).contains("convergence").contains("not checked");
    }
}
