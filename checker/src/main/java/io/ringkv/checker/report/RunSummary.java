package io.ringkv.checker.report;

import io.ringkv.checker.Verdict;
import java.util.List;
import java.util.Map;

/**
 * What a fault-injection run adds to a report: its own verdict (from the properties its
 * configuration promises, not from every checker), which property was promised and why, the
 * configuration, the command that reproduces the run, warnings that must not be missed (a nemesis
 * that was skipped), and the run's other files.
 *
 * @param verdict    the run's verdict
 * @param headline   one line that explains it
 * @param command    the command line that reproduces the run
 * @param settings   the configuration, in display order
 * @param properties one row per checked property
 * @param warnings   shown prominently, above everything else
 * @param files      paths relative to the report, linked
 */
public record RunSummary(Verdict verdict, String headline, String command, Map<String, String> settings,
                         List<Property> properties, List<String> warnings, List<String> files) {

    /**
     * One checked property.
     *
     * @param checker  the checker's name, as in its result
     * @param promised whether the configuration promises it (a violation then fails the run)
     * @param why      why it is or is not promised
     * @param verdict  what the checker found
     */
    public record Property(String checker, boolean promised, String why, Verdict verdict) {
    }

    public RunSummary {
        settings = Map.copyOf(settings);
        properties = List.copyOf(properties);
        warnings = List.copyOf(warnings);
        files = List.copyOf(files);
    }
}
