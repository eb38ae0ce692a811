package io.agentgateway.llm;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;

import java.util.concurrent.CompletableFuture;

/**
 * Counts tokens the way OpenAI's models do (o200k for the gpt-4o/o-series/gpt-5 family, cl100k
 * otherwise), for budget reservations before a provider reports usage and for the mock
 * provider's usage. For other providers' models it is an estimate, which is all a reservation
 * needs. Thread-safe; the encodings ship inside the jar.
 *
 * <p>Loading an encoding takes most of a second of CPU, so both start loading, each on a thread of
 * its own, as soon as this class is initialised ({@link #preload()}, called first thing at start),
 * beside the rest of the start instead of after it; {@link #awaitLoaded()} waits for them before the
 * first request can arrive, so no event loop ever waits for one.
 */
public final class TokenCounter {
    private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();
    private static final CompletableFuture<Encoding> O200K = load(EncodingType.O200K_BASE);
    private static final CompletableFuture<Encoding> CL100K = load(EncodingType.CL100K_BASE);

    /** Texts longer than this are estimated at 4 characters a token instead of encoded. */
    private static final int ENCODE_LIMIT = 256 * 1024;

    /** Per event loop: agents resend their whole conversation each turn, so most texts were counted before. */
    private static final ThreadLocal<Recent> RECENT = ThreadLocal.withInitial(Recent::new);
    private static final int CACHE_FROM_LENGTH = 8;

    private TokenCounter() {
    }

    private static CompletableFuture<Encoding> load(EncodingType type) {
        CompletableFuture<Encoding> loaded = new CompletableFuture<>();
        Thread loader = new Thread(() -> {
            try {
                loaded.complete(REGISTRY.getEncoding(type));
            } catch (Throwable e) {
                loaded.completeExceptionally(e);
            }
        }, "agentgateway-tokenizer-" + type.getName());
        loader.setDaemon(true);
        loader.start();
        return loaded;
    }

    /** Starts loading the encodings in the background (initialising this class does). */
    public static void preload() {
        // Nothing more to do: the static fields started the loads.
    }

    /** Blocks until both encodings are loaded: call it off the event loops, before serving. */
    public static void awaitLoaded() {
        O200K.join();
        CL100K.join();
    }

    /**
     * Like {@link #count} but remembers recent texts (by hash and length; a rare collision only
     * skews an estimate that is reconciled to the provider's real usage anyway).
     */
    public static int countRecent(String text, String model) {
        if (text == null || text.length() < CACHE_FROM_LENGTH) {
            return count(text, model);
        }
        Encoding encoding = encoding(model);
        long key = ((long) text.hashCode() << 32) ^ ((long) text.length() << 1) ^ (encoding == O200K.join() ? 1 : 0);
        Recent recent = RECENT.get();
        Integer known = recent.get(key);
        if (known != null) {
            return known;
        }
        int n = count(text, model);
        recent.put(key, n);
        return n;
    }

    /** A small LRU of text digests to token counts, confined to one thread. */
    private static final class Recent extends java.util.LinkedHashMap<Long, Integer> {
        Recent() {
            super(1024, 0.75f, true);
        }

        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<Long, Integer> eldest) {
            return size() > 4096;
        }
    }

    public static int count(String text, String model) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        if (text.length() > ENCODE_LIMIT) {
            return (text.length() + 3) / 4;
        }
        return encoding(model).countTokensOrdinary(text);
    }

    private static Encoding encoding(String model) {
        if (model != null && (model.startsWith("gpt-4o") || model.startsWith("gpt-4.1") || model.startsWith("gpt-5")
                || model.startsWith("o1") || model.startsWith("o3") || model.startsWith("o4"))) {
            return O200K.join();
        }
        return CL100K.join();
    }
}
