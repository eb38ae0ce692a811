package io.agentgateway.server;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The facts of one exchange, by name, in the order first recorded: two parallel arrays searched
 * linearly. An exchange records about a dozen facts under constant names, so a scan that compares
 * references first beats hashing, and nothing is allocated per fact (a {@code LinkedHashMap} makes
 * an entry per fact and rehashes its table at the seventh). Re-recording a fact keeps its place;
 * removing one closes the gap, so the order stays the recording order.
 *
 * <p>Read-only to everyone else through the {@link Map} interface ({@code put} and removal throw);
 * written only by its {@link Exchange}. Confined to the exchange's event loop, except a
 * {@link #copy()}, which is immutable and may be read on any thread.
 */
final class FactTable extends AbstractMap<String, Object> {
    private static final String[] NO_KEYS = new String[0];
    private static final Object[] NO_VALUES = new Object[0];

    private String[] keys;
    private Object[] values;
    private int size;

    FactTable() {
        this(NO_KEYS, NO_VALUES, 0);
    }

    private FactTable(String[] keys, Object[] values, int size) {
        this.keys = keys;
        this.values = values;
        this.size = size;
    }

    /** Records {@code value} (non-null) under {@code key}: in place when recorded before, else last. */
    void set(String key, Object value) {
        int i = indexOf(key);
        if (i >= 0) {
            values[i] = value;
            return;
        }
        if (size == keys.length) {
            int capacity = size == 0 ? 8 : size * 2;
            keys = Arrays.copyOf(keys, capacity);
            values = Arrays.copyOf(values, capacity);
        }
        keys[size] = key;
        values[size] = value;
        size++;
    }

    /** Forgets {@code key}, if recorded; the facts after it keep their order. */
    void delete(String key) {
        int i = indexOf(key);
        if (i < 0) {
            return;
        }
        int after = size - i - 1;
        System.arraycopy(keys, i + 1, keys, i, after);
        System.arraycopy(values, i + 1, values, i, after);
        size--;
        keys[size] = null;
        values[size] = null;
    }

    /** An immutable copy in the same order, for a reader on another thread (the audit writer). */
    FactTable copy() {
        return size == 0 ? new FactTable() : new FactTable(Arrays.copyOf(keys, size), Arrays.copyOf(values, size), size);
    }

    private int indexOf(Object key) {
        String[] k = keys;
        for (int i = 0; i < size; i++) {
            // Fact names are constants: the reference usually matches; equals covers a name built at run time.
            if (k[i] == key) {
                return i;
            }
        }
        for (int i = 0; i < size; i++) {
            if (k[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public Object get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : values[i];
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    /** In recording order, without an entry object per fact. */
    @Override
    public void forEach(BiConsumer<? super String, ? super Object> action) {
        for (int i = 0; i < size; i++) {
            action.accept(keys[i], values[i]);
        }
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < size;
                    }

                    @Override
                    public Entry<String, Object> next() {
                        if (next >= size) {
                            throw new NoSuchElementException();
                        }
                        Entry<String, Object> e = new SimpleImmutableEntry<>(keys[next], values[next]);
                        next++;
                        return e;
                    }
                };
            }

            @Override
            public int size() {
                return size;
            }
        };
    }
}
