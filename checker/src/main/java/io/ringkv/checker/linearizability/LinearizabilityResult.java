package io.ringkv.checker.linearizability;

import io.ringkv.checker.CheckerResult;
import io.ringkv.checker.Verdict;
import java.time.Duration;
import java.util.List;

/**
 * The linearizability check of a history: the combined verdict and one result per partition.
 *
 * @param model      the model's name
 * @param verdict    ILLEGAL if any partition is, else UNKNOWN if any partition is or there is none, else OK
 * @param partitions one result per partition, in order of first appearance in the history
 * @param budget     the time budget the check had
 * @param elapsed    the time the check took
 */
public record LinearizabilityResult(String model, Verdict verdict, List<PartitionResult> partitions,
                                    Duration budget, Duration elapsed) implements CheckerResult {

    @Override
    public String checker() {
        return "linearizability";
    }

    /** The partitions with the given verdict. */
    public List<PartitionResult> partitions(Verdict v) {
        return partitions.stream().filter(p -> p.verdict() == v).toList();
    }

    @Override
    public String summary() {
        int ops = partitions.stream().mapToInt(p -> p.operations().size()).sum();
        String size = ops + " operations in " + partitions.size() + " partition" + (partitions.size() == 1 ? "" : "s");
        return switch (verdict) {
            case OK -> size + " are linearizable (" + model + " model)";
            case ILLEGAL -> {
                PartitionResult p = partitions(Verdict.ILLEGAL).get(0);
                String where = p.partition().isEmpty() ? "the history" : "partition " + p.partition();
                yield where + " is not linearizable (" + model + " model): after " + p.linearization().size()
                        + " operations, " + (p.unplaced() == null ? "no operation"
                        : p.describe(p.unplaced()) + " by process " + p.unplaced().process())
                        + " cannot take effect; " + partitions(Verdict.ILLEGAL).size() + " of " + partitions.size()
                        + " partitions are not linearizable";
            }
            case UNKNOWN -> partitions.isEmpty() ? "undecided: no operation to check" : "undecided: "
                    + partitions(Verdict.UNKNOWN).get(0).undecided() + " with "
                    + partitions(Verdict.UNKNOWN).size() + " of " + partitions.size()
                    + " partitions unchecked (" + size + ")";
        };
    }
}
