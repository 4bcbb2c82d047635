package io.ringkv.checker.dynamo;

import io.ringkv.checker.CheckerResult;
import io.ringkv.checker.Verdict;
import java.util.List;

/**
 * What {@link LostWritesChecker} found.
 *
 * @param verdict      combined over the keys; UNKNOWN when no add was acknowledged (there was nothing
 *                     that could be lost) unless an unexpected element makes it ILLEGAL
 * @param keys         one result per key
 * @param attempted    elements whose add was invoked
 * @param acknowledged elements whose add was OK
 * @param lost         acknowledged elements missing from a final read
 * @param unexpected   elements in a final read that cannot have been added
 * @param recovered    elements of unknown outcome found in a final read
 */
public record LostWritesResult(Verdict verdict, List<KeyResult> keys, int attempted, int acknowledged, int lost,
                               int unexpected, int recovered) implements CheckerResult {

    /**
     * One key.
     *
     * @param verdict UNKNOWN when the key has no completed final read
     */
    public record KeyResult(String key, Verdict verdict, int attempted, int acknowledged, List<Object> lost,
                            List<Object> unexpected, List<Object> recovered) {
    }

    static LostWritesResult of(List<KeyResult> keys) {
        Verdict verdict = Verdict.OK;
        int attempted = 0;
        int acknowledged = 0;
        int lost = 0;
        int unexpected = 0;
        int recovered = 0;
        for (KeyResult k : keys) {
            verdict = verdict.and(k.verdict());
            attempted += k.attempted();
            acknowledged += k.acknowledged();
            lost += k.lost().size();
            unexpected += k.unexpected().size();
            recovered += k.recovered().size();
        }
        if (acknowledged == 0 && verdict == Verdict.OK) {
            verdict = Verdict.UNKNOWN;
        }
        return new LostWritesResult(verdict, List.copyOf(keys), attempted, acknowledged, lost, unexpected, recovered);
    }

    @Override
    public String checker() {
        return "lost-writes";
    }

    @Override
    public String summary() {
        String counts = acknowledged + " of " + attempted + " adds acknowledged in " + keys.size() + " keys; lost "
                + lost + ", unexpected " + unexpected + ", recovered " + recovered;
        if (verdict != Verdict.UNKNOWN) {
            return counts;
        }
        long unread = keys.stream().filter(k -> k.verdict() == Verdict.UNKNOWN).count();
        return counts + (unread > 0 ? "; " + unread + " keys have no final read"
                : "; no add was acknowledged, so none could be lost");
    }
}
