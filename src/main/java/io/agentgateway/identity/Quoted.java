package io.agentgateway.identity;

/**
 * A value from a request (a claim, an API server's message) made safe to put in an error: quoted,
 * cut to a length, control characters replaced.
 */
final class Quoted {
    private Quoted() {
    }

    static String of(Object value, int max) {
        if (value == null) {
            return "(none)";
        }
        String s = value.toString();
        StringBuilder out = new StringBuilder(Math.min(s.length(), max) + 8).append('"');
        for (int i = 0; i < s.length() && i < max; i++) {
            char c = s.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c == '"' ? '\'' : c);
        }
        if (s.length() > max) {
            out.append("...");
        }
        return out.append('"').toString();
    }
}
