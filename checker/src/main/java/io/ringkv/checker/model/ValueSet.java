package io.ringkv.checker.model;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * An immutable set of sibling values: the state of a multi-value register. Kept as a sorted
 * array with its hash computed once, because the checker compares and hashes states on every
 * step and a register rarely holds more than a few siblings.
 */
public final class ValueSet {

    /** The empty set: a register never written, or whose values were all removed. */
    public static final ValueSet EMPTY = new ValueSet(new String[0]);

    private final String[] values;
    private final int hash;

    private ValueSet(String[] sortedDistinct) {
        this.values = sortedDistinct;
        this.hash = Arrays.hashCode(sortedDistinct);
    }

    /** The set of the given values; duplicates collapse. */
    public static ValueSet of(Collection<String> values) {
        String[] sorted = values.stream().distinct().sorted().toArray(String[]::new);
        return sorted.length == 0 ? EMPTY : new ValueSet(sorted);
    }

    /** The set of the given values; duplicates collapse. */
    public static ValueSet of(String... values) {
        return of(Arrays.asList(values));
    }

    /** This set without the members of {@code removed}. */
    public ValueSet minus(ValueSet removed) {
        if (removed.values.length == 0 || values.length == 0) {
            return this;
        }
        String[] kept = new String[values.length];
        int k = 0;
        for (String v : values) {
            if (Arrays.binarySearch(removed.values, v) < 0) {
                kept[k++] = v;
            }
        }
        return k == values.length ? this : k == 0 ? EMPTY : new ValueSet(Arrays.copyOf(kept, k));
    }

    /** This set with {@code value}. */
    public ValueSet plus(String value) {
        int at = Arrays.binarySearch(values, value);
        if (at >= 0) {
            return this;
        }
        int insert = -at - 1;
        String[] grown = new String[values.length + 1];
        System.arraycopy(values, 0, grown, 0, insert);
        grown[insert] = value;
        System.arraycopy(values, insert, grown, insert + 1, values.length - insert);
        return new ValueSet(grown);
    }

    public boolean contains(String value) {
        return Arrays.binarySearch(values, value) >= 0;
    }

    public int size() {
        return values.length;
    }

    /** The values in sorted order. */
    public List<String> values() {
        return List.of(values);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ValueSet && hash == ((ValueSet) o).hash && Arrays.equals(values, ((ValueSet) o).values);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "{" + String.join(", ", values) + "}";
    }
}
