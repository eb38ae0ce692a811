package io.agentgateway.llm;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;

import io.vertx.core.Context;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Counts tokens the way OpenAI's models do (o200k for the gpt-4o/o-series/gpt-5 family, cl100k
 * otherwise), for budget reservations before a provider reports usage and for the mock
 * provider's usage. For other providers' models it is an estimate, which is all a reservation
 * needs. Thread-safe; the encodings ship inside the jar.
 *
 * <p>Loading the two encodings takes about 1.3 s of CPU (o200k 0.8 s, cl100k 0.45 s), more than the
 * rest of a start, so the gateway does not wait for them to become ready: they load in the background, each on a
 * thread of its own, from the first {@link #preload()}, {@link #loaded()} or count on. Code on an
 * event loop counts only once {@link #loaded()} has completed (the LLM listener holds requests
 * that need a token estimate until then, so budgets see the same exact estimate as ever). A count
 * made on an event loop before then anyway (usage guessed for an answer the provider did not
 * count, with no token budget configured) is estimated at 4 characters a token rather than wait:
 * an event loop never blocks here. Elsewhere a count before then waits for the encoding.
 */
public final class TokenCounter {

    /** Texts longer than this are estimated at 4 characters a token instead of encoded. */
    private static final int ENCODE_LIMIT = 256 * 1024;

    /** Per event loop: agents resend their whole conversation each turn, so most texts were counted before. */
    private static final ThreadLocal<Recent> RECENT = ThreadLocal.withInitial(Recent::new);

    private TokenCounter() {
    }

    /** The loads, started when this holder is first touched. */
    private static final class Loads {
        static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();
        static final CompletableFuture<Encoding> O200K = load(EncodingType.O200K_BASE);
        static final CompletableFuture<Encoding> CL100K = load(EncodingType.CL100K_BASE);
        static final CompletableFuture<Void> BOTH = CompletableFuture.allOf(O200K, CL100K);
    }

    private static CompletableFuture<Encoding> load(EncodingType type) {
        CompletableFuture<Encoding> loaded = new CompletableFuture<>();
        Thread loader = new Thread(() -> {
            try {
                loaded.complete(Loads.REGISTRY.getEncoding(type));
            } catch (Throwable e) {
                loaded.completeExceptionally(e);
            }
        }, "agentgateway-tokenizer-" + type.getName());
        loader.setDaemon(true);
        loader.start();
        return loaded;
    }

    /** Starts loading the encodings in the background, if that has not started yet. */
    public static void preload() {
        loaded();
    }

    /**
     * Completes when both encodings are loaded (exceptionally if one cannot be: a broken jar),
     * starting the loads if need be; from then on counting never waits. Completes on a loader
     * thread, or at once: hop back to an event loop before doing more.
     */
    public static CompletionStage<Void> loaded() {
        return Loads.BOTH;
    }

    /** Whether both encodings are loaded, so counting does not wait (starts the loads if need be). */
    public static boolean isLoaded() {
        return Loads.BOTH.isDone() && !Loads.BOTH.isCompletedExceptionally();
    }

    /** Blocks until both encodings are loaded (starting the loads if need be): call it off the event loops. */
    public static void awaitLoaded() {
        Loads.BOTH.join();
    }

    /**
     * Like {@link #count} but remembers recent texts, per thread, and their counts. A text is
     * found again only by its content (compared in full, never by a hash alone: a text crafted to
     * collide with another's hash gets its own count, not the other's). Short texts too: encoding
     * even "Hello!" runs the tokenizer's pattern matcher, ~3% of a chat request's CPU.
     */
    public static int countRecent(String text, String model) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        if (mustNotWait()) {
            return byLength(text);
        }
        boolean o200k = encoding(model) == Loads.O200K.join();
        Recent recent = RECENT.get();
        int known = recent.get(text, o200k);
        if (known >= 0) {
            return known;
        }
        int n = count(text, model);
        recent.put(text, o200k, n);
        return n;
    }

    /**
     * Recent texts and their token counts in a fixed table of 4,096 slots, each text in the slot
     * its hash and encoding pick (a newer text replaces an older one there): nothing is allocated
     * to look a count up or to remember one, and a lookup compares the text itself (the same
     * instance at once, else its characters). The texts kept are bounded by their total length
     * ({@link #MAX_KEPT} characters), so long prompts cannot pin much of the heap: past that a
     * new text is counted but not kept. Confined to one thread.
     */
    static final class Recent {
        private static final int SLOTS = 4096;
        /** At most this many characters kept per thread (at most 2 bytes each). */
        static final long MAX_KEPT = 1L << 21;
        private final String[] texts = new String[SLOTS];
        private final boolean[] o200k = new boolean[SLOTS];
        private final int[] counts = new int[SLOTS];
        private long kept;

        private static int slot(String text, boolean o200k) {
            long h = (((long) text.hashCode() << 32) ^ ((long) text.length() << 1) ^ (o200k ? 1 : 0)) * 0x9E3779B97F4A7C15L;
            return (int) (h >>> 52);
        }

        /** The count remembered for {@code text} under that encoding, or -1. */
        int get(String text, boolean o200k) {
            int i = slot(text, o200k);
            String t = texts[i];
            return t != null && this.o200k[i] == o200k && (t == text || t.equals(text)) ? counts[i] : -1;
        }

        void put(String text, boolean o200k, int count) {
            int i = slot(text, o200k);
            String old = texts[i];
            long after = kept - (old == null ? 0 : old.length()) + text.length();
            if (after > MAX_KEPT) {
                return;
            }
            kept = after;
            texts[i] = text;
            this.o200k[i] = o200k;
            counts[i] = count;
        }

        /** Characters kept now. */
        long kept() {
            return kept;
        }
    }

    public static int count(String text, String model) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        if (text.length() > ENCODE_LIMIT || mustNotWait()) {
            return byLength(text);
        }
        return encoding(model).countTokensOrdinary(text);
    }

    private static int byLength(String text) {
        return (text.length() + 3) / 4;
    }

    /** On an event loop before the encodings are loaded: waiting would block the loop. */
    private static boolean mustNotWait() {
        return !isLoaded() && Context.isOnEventLoopThread();
    }

    private static Encoding encoding(String model) {
        if (model != null && (model.startsWith("gpt-4o") || model.startsWith("gpt-4.1") || model.startsWith("gpt-5")
                || model.startsWith("o1") || model.startsWith("o3") || model.startsWith("o4"))) {
            return Loads.O200K.join();
        }
        return Loads.CL100K.join();
    }
}
