package io.agentgateway.server;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where and how a JSON text is broken, in words a caller can act on: {@code line 1, column 63:
 * the body ends inside an array (opened at line 1, column 29)}. The parser's own wording is kept
 * only where it is plain; its internals (source descriptions, character codes, token type names)
 * never reach the caller. Every listener's "not valid JSON" error says it this way.
 */
public final class JsonSyntax {
    private static final Pattern OPENED_AT = Pattern.compile("line: (\\d+), column: (\\d+)");
    private static final Pattern CHARACTER = Pattern.compile("^Unexpected character \\((.+?) \\(code \\d+\\)\\)(.*)$", Pattern.DOTALL);
    private static final Pattern CLOSE_MARKER = Pattern.compile("^Unexpected close marker '(.)': expected '(.)'.*$", Pattern.DOTALL);
    private static final Pattern TOKEN = Pattern.compile("^Unrecognized token '([^']*)'.*$", Pattern.DOTALL);

    private static final String VALUE_LIST = "a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')";
    private static final String VALUE_WORDS = "a JSON value (a string in double quotes, a number, an array, an object, true, false or null)";

    private JsonSyntax() {
    }

    /** {@code line L, column C: what is wrong}. */
    public static String describe(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
        return where + what(String.valueOf(e.getOriginalMessage()));
    }

    /** What is wrong, from the parser's own message, without its internals. */
    static String what(String message) {
        if (message.startsWith("Unexpected end-of-input")) {
            String opened = opened(message);
            if (message.contains("close marker for Array")) {
                return "the body ends inside an array" + opened;
            }
            if (message.contains("close marker for Object")) {
                return "the body ends inside an object" + opened;
            }
            if (message.contains("VALUE_STRING") || message.contains("closing quote")) {
                return "the body ends inside a string";
            }
            return "the body ends before the JSON value is complete";
        }
        Matcher m = CLOSE_MARKER.matcher(message);
        if (m.matches()) {
            return "'" + m.group(1) + "' where '" + m.group(2) + "' should close what was opened" + opened(message);
        }
        m = CHARACTER.matcher(message);
        if (m.matches()) {
            return "unexpected character " + m.group(1) + plain(m.group(2)).replace(VALUE_LIST, VALUE_WORDS);
        }
        m = TOKEN.matcher(message);
        if (m.matches()) {
            return "unrecognized token '" + m.group(1) + "' (strings need double quotes; literals are true, false and null)";
        }
        String first = plain(message);
        return first.isEmpty() ? "not valid JSON" : Character.toLowerCase(first.charAt(0)) + first.substring(1);
    }

    /** {@code  (opened at line L, column C)} from the parser's start-marker note, or nothing. */
    private static String opened(String message) {
        int start = message.indexOf("start");
        Matcher m = OPENED_AT.matcher(message);
        return start >= 0 && m.find(start) ? " (opened at line " + m.group(1) + ", column " + m.group(2) + ")" : "";
    }

    /** The first line, without the parser's source notes and character codes. */
    private static String plain(String text) {
        String out = text.lines().findFirst().orElse("");
        int source = out.indexOf(" (for ");
        if (source < 0) {
            source = out.indexOf("[Source");
        }
        if (source >= 0) {
            out = out.substring(0, source);
        }
        return out.replaceAll(" \\(code \\d+\\)", "").trim();
    }
}
