package io.agentgateway.it;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Whether what a command printed is what a document shows for it. What changes from run to run
 * is masked on both sides: ids, timestamps, durations, Unix times, remaining budgets and body
 * lengths. {@code ...} in the shown output stands for any text on its line; a line of only
 * {@code ...} for any number of lines. Trailing whitespace does not count.
 */
final class ShownOutput {
    private record Mask(Pattern pattern, String replacement) {
    }

    private static final List<Mask> MASKS = List.of(
            mask("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<uuid>"),
            mask("\\b[0-9a-f]{32}\\b", "<request-id>"),
            mask("chatcmpl-[A-Za-z0-9]+", "chatcmpl-<id>"),
            mask("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?(Z|[+-]\\d\\d:\\d\\d)", "<time>"),
            mask("\"created\":\\s*\\d+", "\"created\":<time>"),
            mask("\\b(\\d+h)?(\\d+m)?\\d+(\\.\\d+)?s\\b", "<duration>"),
            mask("(?i)(retry-after: )\\d+", "$1<seconds>"),
            mask("(?i)(x-ratelimit-remaining-tokens: )\\d+", "$1<tokens>"),
            mask("(?i)(content-length: )\\d+", "$1<length>"),
            mask("(?i)(mcp-session-id: )\\S+", "$1<session>"));

    private ShownOutput() {
    }

    private static Mask mask(String regex, String replacement) {
        return new Mask(Pattern.compile(regex), replacement);
    }

    static String masked(String text) {
        String out = text.replace("\r", "");
        for (Mask m : MASKS) {
            out = m.pattern().matcher(out).replaceAll(m.replacement());
        }
        return out;
    }

    static boolean matches(String shown, String printed) {
        return pattern(masked(ShellSession.trimEnd(shown))).matcher(masked(trimLines(printed))).matches();
    }

    private static String trimLines(String s) {
        StringBuilder out = new StringBuilder();
        for (String line : ShellSession.trimEnd(s).split("\n", -1)) {
            out.append(ShellSession.trimEnd(line)).append('\n');
        }
        // drop the leading newline the session marker leaves when the previous output had none
        return ShellSession.trimEnd(out.toString().replaceFirst("^\n+", ""));
    }

    private static Pattern pattern(String shown) {
        StringBuilder regex = new StringBuilder();
        String[] lines = shown.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = ShellSession.trimEnd(lines[i]);
            boolean last = i == lines.length - 1;
            if (line.equals("...")) {
                regex.append(last ? "(?:.*)" : "(?:[^\\n]*\\n)*?");
                continue;
            }
            String[] parts = line.split(Pattern.quote("..."), -1);
            for (int j = 0; j < parts.length; j++) {
                if (j > 0) {
                    regex.append("[^\\n]*?");
                }
                regex.append(Pattern.quote(parts[j]));
            }
            if (!last) {
                regex.append("\\n");
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
