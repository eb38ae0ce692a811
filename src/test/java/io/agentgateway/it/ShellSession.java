package io.agentgateway.it;

import java.util.ArrayList;
import java.util.List;

/**
 * The shell sessions of a Markdown document: its {@code console} blocks, read as a terminal shows
 * them. A line starting with {@code $ } is a command, continued on the next line while it ends
 * with a backslash or holds an open single quote; the lines up to the next command are its output.
 */
final class ShellSession {
    static final String MARK = "@@readme-command@@ ";

    /** One command, where it starts in the document (1-based), and the output the document shows. */
    record Command(int line, String text, String output) {
    }

    private ShellSession() {
    }

    static List<Command> parse(String markdown) {
        List<Command> out = new ArrayList<>();
        String[] lines = markdown.split("\n", -1);
        boolean inSession = false;
        StringBuilder command = null;
        StringBuilder output = null;
        int commandLine = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (!inSession) {
                inSession = line.equals("```console");
                continue;
            }
            if (line.equals("```")) {
                if (command != null) {
                    out.add(new Command(commandLine, command.toString(), trimEnd(output.toString())));
                }
                command = null;
                inSession = false;
                continue;
            }
            if (command != null && continues(command)) {
                command.append('\n').append(line);
            } else if (line.startsWith("$ ")) {
                if (command != null) {
                    out.add(new Command(commandLine, command.toString(), trimEnd(output.toString())));
                }
                command = new StringBuilder(line.substring(2));
                output = new StringBuilder();
                commandLine = i + 1;
            } else if (command != null) {
                output.append(line).append('\n');
            } else {
                throw new IllegalArgumentException("line " + (i + 1) + ": output before any command in a console block");
            }
        }
        return out;
    }

    /** The bodies of the plain {@code sh} blocks: commands shown without their output. */
    static List<String> plainShellBlocks(String markdown) {
        List<String> out = new ArrayList<>();
        StringBuilder block = null;
        for (String line : markdown.split("\n", -1)) {
            if (block == null && (line.equals("```sh") || line.equals("```bash") || line.equals("```shell"))) {
                block = new StringBuilder();
            } else if (block != null && line.equals("```")) {
                out.add(block.toString());
                block = null;
            } else if (block != null) {
                block.append(line).append('\n');
            }
        }
        return out;
    }

    private static boolean continues(StringBuilder command) {
        if (command.charAt(command.length() - 1) == '\\') {
            return true;
        }
        boolean open = false;
        boolean inDouble = false;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (c == '\'' && !inDouble) {
                open = !open;
            } else if (c == '"' && !open) {
                inDouble = !inDouble;
            }
        }
        return open;
    }

    static String trimEnd(String s) {
        int end = s.length();
        while (end > 0 && Character.isWhitespace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }
}
