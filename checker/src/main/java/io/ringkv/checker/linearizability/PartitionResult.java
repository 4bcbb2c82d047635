package io.ringkv.checker.linearizability;

import io.ringkv.checker.Verdict;
import io.ringkv.checker.history.Operation;
import java.time.Duration;
import java.util.List;

/**
 * The check of one partition of a history.
 *
 * @param partition     the partition's name (for example its key; empty for a whole history)
 * @param verdict       OK, ILLEGAL, or UNKNOWN if the budget ran out (or the check was cancelled
 *                      because another partition was already ILLEGAL)
 * @param operations    the partition's operations (FAIL operations excluded), in invocation order
 * @param descriptions  how the model describes each of {@code operations}, same order
 * @param linearization for OK, a linearization; otherwise the longest linearizable prefix found
 * @param unplaced      for ILLEGAL, the operation that cannot be placed after that prefix; else null
 * @param undecided     for UNKNOWN, why: the budget ran out, the check was stopped, memory ran out
 * @param steps         search steps taken
 * @param configurations distinct (linearized set, state) configurations explored
 * @param elapsed       time spent searching
 */
public record PartitionResult(String partition, Verdict verdict, List<Operation> operations,
                              List<String> descriptions, List<Step> linearization, Operation unplaced,
                              String undecided, long steps, long configurations, Duration elapsed) {

    /**
     * One operation of a linearization.
     *
     * @param operation  the operation
     * @param stateAfter how the model describes its state after the operation
     */
    public record Step(Operation operation, String stateAfter) {
    }

    /** The model's description of an operation of this partition. */
    public String describe(Operation op) {
        int i = operations.indexOf(op);
        return i < 0 ? op.f() : descriptions.get(i);
    }
}
