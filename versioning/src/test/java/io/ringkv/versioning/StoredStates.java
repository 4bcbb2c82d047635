package io.ringkv.versioning;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Turns a {@link History}'s integer values into varied {@link StoredValue}s, deterministically. */
final class StoredStates {
  private static final List<String> CONTENT_TYPES =
      List.of("application/json", "text/plain; charset=utf-8", "", "x-ünï/cødé", "t".repeat(255));

  private StoredStates() {}

  static StoredValue valueOf(int id) {
    Random random = new Random(id);
    long timestamp = switch (id % 7) {
      case 0 -> 0;
      case 1 -> Long.MAX_VALUE;
      default -> 1_700_000_000_000L + random.nextInt(1_000_000);
    };
    if (id % 5 == 3) {
      return StoredValue.tombstone(timestamp);
    }
    byte[] bytes = new byte[id % 11 == 0 ? 300 : random.nextInt(40)];
    random.nextBytes(bytes);
    return StoredValue.of(bytes, CONTENT_TYPES.get(random.nextInt(CONTENT_TYPES.size())), timestamp);
  }

  static DvvSet<StoredValue> of(DvvSet<Integer> state) {
    List<DvvSet.Entry<StoredValue>> entries = new ArrayList<>();
    for (DvvSet.Entry<Integer> entry : state.entries()) {
      List<StoredValue> values = new ArrayList<>();
      for (int id : entry.values()) {
        values.add(valueOf(id));
      }
      entries.add(new DvvSet.Entry<>(entry.node(), entry.counter(), values));
    }
    return DvvSet.ofEntries(entries);
  }
}
