package io.ringkv.client;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** One value of a key together with its content type; a key with concurrent writes has several. */
public final class Sibling {

    private final byte[] value;
    private final String contentType;

    public Sibling(byte[] value, String contentType) {
        this.value = value.clone();
        this.contentType = contentType;
    }

    public byte[] value() {
        return value.clone();
    }

    /** The value decoded as UTF-8. */
    public String valueAsString() {
        return new String(value, StandardCharsets.UTF_8);
    }

    public String contentType() {
        return contentType;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sibling s && Arrays.equals(s.value, value) && s.contentType.equals(contentType);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(value) + contentType.hashCode();
    }

    @Override
    public String toString() {
        return "Sibling[" + contentType + ", " + value.length + " bytes]";
    }
}
