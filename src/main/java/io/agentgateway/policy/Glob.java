package io.agentgateway.policy;

/**
 * A name pattern where {@code *} matches any run of characters (including none) and every other
 * character matches itself: {@code gpt-4o*}, {@code model:*}, {@code mcp:github/*}. Immutable and
 * thread-safe; match is allocation-free.
 */
public final class Glob {
    private final String pattern;
    private final boolean literal;
    private final boolean any;

    private Glob(String pattern) {
        this.pattern = pattern;
        this.literal = pattern.indexOf('*') < 0;
        this.any = pattern.equals("*");
    }

    public static Glob of(String pattern) {
        return new Glob(pattern);
    }

    public static boolean isPattern(String s) {
        return s.indexOf('*') >= 0;
    }

    public String pattern() {
        return pattern;
    }

    public boolean matches(String s) {
        if (any) {
            return true;
        }
        if (literal) {
            return pattern.equals(s);
        }
        return match(s);
    }

    /** Greedy two-pointer match with backtracking to the last star: linear in practice. */
    private boolean match(String s) {
        int p = 0;
        int i = 0;
        int star = -1;
        int mark = 0;
        int pl = pattern.length();
        int sl = s.length();
        while (i < sl) {
            if (p < pl && pattern.charAt(p) == '*') {
                star = p++;
                mark = i;
            } else if (p < pl && pattern.charAt(p) == s.charAt(i)) {
                p++;
                i++;
            } else if (star >= 0) {
                p = star + 1;
                i = ++mark;
            } else {
                return false;
            }
        }
        while (p < pl && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pl;
    }

    @Override
    public String toString() {
        return pattern;
    }
}
