package io.ringkv.node.http;

import io.ringkv.node.NodeConfig;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes the key in a request path. Strict on purpose: a malformed escape or invalid UTF-8 is an error,
 * never silently replaced, because two different requests must never land on the same key. '+' is a
 * literal plus in a path, not a space.
 */
final class PathKeys {

    private PathKeys() {
    }

    /** The key encoded in {@code raw}, the path after "/kv/". */
    static String decode(String raw) {
        if (raw.isEmpty()) {
            throw ApiError.badRequest("invalid_key", "the key is empty");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    throw ApiError.badRequest("invalid_key", "truncated percent-escape at position " + i);
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw ApiError.badRequest("invalid_key", "malformed percent-escape at position " + i);
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else if (c < 0x100) {
                // The HTTP codec reads the request line byte by byte (ISO-8859-1): a char here is a raw byte.
                bytes.write(c);
            } else {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
            }
        }
        byte[] utf8 = bytes.toByteArray();
        if (utf8.length > NodeConfig.MAX_KEY_BYTES) {
            throw ApiError.badRequest("invalid_key", "the key is " + utf8.length + " bytes; the limit is "
                    + NodeConfig.MAX_KEY_BYTES + " bytes of UTF-8");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8)).toString();
        } catch (CharacterCodingException e) {
            throw ApiError.badRequest("invalid_key", "the key is not valid UTF-8 once percent-decoded");
        }
    }
}
