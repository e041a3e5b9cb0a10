package fr.actesconnector;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A value made on first use, once, by any thread; each has its own lock, so that making one never waits on the
 * façade's monitor (held during a TdT exchange by {@code updateClassification}).
 */
final class Lazy<T> implements Supplier<T> {
    private final Supplier<? extends T> make;
    private volatile T value;

    Lazy(Supplier<? extends T> make) {
        this.make = Objects.requireNonNull(make, "make");
    }

    @Override
    public T get() {
        T v = value;
        if (v != null) return v;
        synchronized (this) {
            if (value == null) value = Objects.requireNonNull(make.get(), "lazy value");
            return value;
        }
    }

    /** Whether {@link #get()} has made the value. */
    boolean isMade() {
        return value != null;
    }
}
