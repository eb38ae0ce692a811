package io.agentgateway.llm;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Finds one text field of a {@code multipart/form-data} body (the {@code model} of an audio
 * transcription or an image edit) without parsing the rest: a scan for the part whose
 * {@code Content-Disposition} names the field, returning where its value's bytes are, so the
 * body can be forwarded unchanged or with just that value spliced. Stateless.
 */
final class Multipart {
    /** Where a field's value is in the body: bytes {@code [start, end)}. */
    record Span(int start, int end) {
    }

    private Multipart() {
    }

    /** The boundary of a {@code multipart/form-data} content type, or null when it is not one. */
    static String boundary(String contentType) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            return null;
        }
        for (String param : contentType.split(";")) {
            String p = param.trim();
            if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String b = p.substring(9);
                if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) {
                    b = b.substring(1, b.length() - 1);
                }
                return b.isEmpty() ? null : b;
            }
        }
        return null;
    }

    /** The value of field {@code name}, or null when the body has no such part. */
    static Span field(Buffer body, String boundary, String name) {
        byte[] bytes = body.getBytes();
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int at = indexOf(bytes, delimiter, 0);
        while (at >= 0) {
            int headersStart = at + delimiter.length;
            if (headersStart + 1 < bytes.length && bytes[headersStart] == '-' && bytes[headersStart + 1] == '-') {
                return null; // the closing delimiter
            }
            int headersEnd = indexOf(bytes, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), headersStart);
            if (headersEnd < 0) {
                return null;
            }
            int valueStart = headersEnd + 4;
            int next = indexOf(bytes, ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1), valueStart);
            if (next < 0) {
                return null;
            }
            String headers = new String(bytes, headersStart, headersEnd - headersStart, StandardCharsets.UTF_8);
            if (names(headers, name)) {
                return new Span(valueStart, next);
            }
            at = next + 2;
        }
        return null;
    }

    private static boolean names(String headers, String name) {
        for (String line : headers.split("\r\n")) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-disposition:") && lower.contains("form-data")
                    && line.matches("(?i).*;\\s*name=(\"" + name + "\"|" + name + ")\\s*(;.*)?$")) {
                return true;
            }
        }
        return false;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
