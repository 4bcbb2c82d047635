package io.ringkv.checker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.checker.harness.RunConfig;
import io.ringkv.checker.nemesis.NemesisKind;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TestCommandTest {

    private static RunConfig parse(String... args) {
        TestCommand command = new TestCommand();
        new CommandLine(command).parseArgs(args);
        return command.config(Path.of("kv.jar"));
    }

    @Test
    void theReproducingCommandGivesTheSameRun() {
        RunConfig original = parse("--nodes", "5", "--n", "3", "--r", "1", "--w", "3", "--sloppy", "false",
                "--read-repair", "sync", "--conflicts", "lww", "--workload", "set", "--nemesis", "partition,kill",
                "--time-limit", "45s", "--rate", "12.5", "--concurrency", "4", "--keys", "2", "--ops-per-key", "80",
                "--op-timeout", "1500ms", "--fault-seconds", "2-4.5", "--heal-seconds", "1-2", "--quiet-period", "3s",
                "--convergence-timeout", "20s", "--aae-interval", "2s", "--seed", "99", "--node-arg=--failure-timeout-seconds=3",
                "--iptables", "iptables-legacy", "--dir", "runs/x");
        String[] words = original.command().split(" ");
        assertThat(words[0] + " " + words[1]).isEqualTo("kv test");
        RunConfig again = parse(Arrays.copyOfRange(words, 2, words.length));
        assertThat(again.command()).isEqualTo(original.command());
        assertThat(again.nemeses()).containsExactly(NemesisKind.PARTITION, NemesisKind.KILL);
        assertThat(again.opTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(again.faultDuration().max()).isEqualTo(Duration.ofMillis(4500));
        assertThat(again.seed()).isEqualTo(99);
        assertThat(again.clusterArgs()).containsSequence("--aae-interval-ms", "2000");
    }

    @Test
    void aRandomSeedIsChosenAndNamesTheDefaultRunDirectory() {
        RunConfig c = parse();
        assertThat(c.dir().getFileName().toString()).endsWith("-seed" + c.seed());
        assertThat(c.nemeses()).containsExactly(NemesisKind.values());
    }

    @Test
    void impossibleQuorumsAreBadUsage() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new TestCommand()).setErr(new PrintWriter(err));
        assertThat(cli.execute("--n", "3", "--r", "4", "--jar", "pom.xml")).isEqualTo(CheckCommand.USAGE);
        assertThat(err.toString()).contains("--r must be between 1 and --n=3");
        assertThat(cli.execute("--fault-seconds", "ten")).isEqualTo(CheckCommand.USAGE);
    }

    @Test
    void aNodeOptionMayNotOverrideWhatTheRunSetsAndPromisesOn() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new TestCommand()).setErr(new PrintWriter(err));
        assertThat(cli.execute("--node-arg=--aae-interval-ms=600000", "--jar", "pom.xml")).isEqualTo(CheckCommand.USAGE);
        assertThat(err.toString()).contains("--node-arg cannot set --aae-interval-ms");
        assertThat(cli.execute("--node-arg=--r", "--node-arg=1", "--jar", "pom.xml")).isEqualTo(CheckCommand.USAGE);
        assertThat(cli.execute("--aae-interval", "20s", "--convergence-timeout", "30s", "--jar", "pom.xml"))
                .isEqualTo(CheckCommand.USAGE);
        assertThat(err.toString()).contains("less than half of --convergence-timeout");
    }
}
