package io.agentgateway.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Random small edits of valid JSON texts, for tests that hold a fast parser to the one it stands
 * in for on input nobody wrote by hand: one to three edits each (a byte replaced, the text cut, a
 * byte inserted), the bytes drawn from JSON's own characters, the names the parser looks for, and
 * bytes that are not UTF-8. Deterministic for a seed.
 */
public final class JsonEdits {
    /**
     * Byte sequences that are not UTF-8: a lead byte without its continuation, a byte UTF-8 never
     * uses, a surrogate encoded, and two- and three-byte sequences cut short.
     */
    public static final List<byte[]> BAD_UTF8 = List.of(
            new byte[]{(byte) 0xC3, 0x28},
            new byte[]{(byte) 0xFF},
            new byte[]{(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            new byte[]{(byte) 0xE2, (byte) 0x82},
            new byte[]{(byte) 0xF0, (byte) 0x9F, (byte) 0x98});

    private JsonEdits() {
    }

    /** The UTF-8 of {@code text} with the first {@code replace} in it replaced by the bytes {@code with}. */
    public static byte[] splice(String text, String replace, byte[] with) {
        byte[] all = text.getBytes(StandardCharsets.UTF_8);
        int at = text.substring(0, text.indexOf(replace)).getBytes(StandardCharsets.UTF_8).length;
        int cut = replace.getBytes(StandardCharsets.UTF_8).length;
        byte[] out = new byte[all.length - cut + with.length];
        System.arraycopy(all, 0, out, 0, at);
        System.arraycopy(with, 0, out, at, with.length);
        System.arraycopy(all, at + cut, out, at + with.length, all.length - at - cut);
        return out;
    }

    /** {@code count} edited copies of the {@code seeds}; {@code words} adds the names worth inserting. */
    public static List<byte[]> of(List<String> seeds, String words, long seed, int count) {
        Random random = new Random(seed);
        byte[] alphabet = ("{}[]\":,\\ 0123456789eE.-+tfnul\"jsonrpc2.0" + words + "\u0080\u00ff").getBytes(StandardCharsets.ISO_8859_1);
        List<byte[]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] in = seeds.get(random.nextInt(seeds.size())).getBytes(StandardCharsets.UTF_8);
            int edits = 1 + random.nextInt(3);
            for (int e = 0; e < edits && in.length > 0; e++) {
                int at = random.nextInt(in.length);
                switch (random.nextInt(3)) {
                    case 0 -> in[at] = alphabet[random.nextInt(alphabet.length)];
                    case 1 -> in = Arrays.copyOf(in, at);
                    default -> {
                        byte[] longer = new byte[in.length + 1];
                        System.arraycopy(in, 0, longer, 0, at);
                        longer[at] = alphabet[random.nextInt(alphabet.length)];
                        System.arraycopy(in, at, longer, at + 1, in.length - at);
                        in = longer;
                    }
                }
            }
            out.add(in);
        }
        return out;
    }
}
