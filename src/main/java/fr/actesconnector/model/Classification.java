package fr.actesconnector.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/** A matière of the classification, 1 to 5 levels, written {@code 1.4}. */
public record Classification(List<Integer> levels) {
    public static final int MAX_LEVELS = 5;

    public Classification {
        levels = List.copyOf(Objects.requireNonNull(levels, "levels"));
        if (levels.isEmpty() || levels.size() > MAX_LEVELS) {
            throw new IllegalArgumentException("1 to 5 levels expected: " + levels);
        }
    }

    public static Classification of(Integer... levels) {
        return new Classification(List.of(levels));
    }

    /** Parses {@code 1.4} or {@code 1.4.2}; empty when the text is not 1–5 dot-separated integers. */
    public static Optional<Classification> parse(String text) {
        if (text == null || !text.trim().matches("[0-9]{1,4}(\\.[0-9]{1,4}){0,4}")) return Optional.empty();
        List<Integer> levels = new ArrayList<>();
        for (String part : text.trim().split("\\.")) levels.add(Integer.parseInt(part));
        return Optional.of(new Classification(levels));
    }

    public int depth() {
        return levels.size();
    }

    /** Level {@code n}, 1-based. */
    public Optional<Integer> level(int n) {
        return n >= 1 && n <= levels.size() ? Optional.of(levels.get(n - 1)) : Optional.empty();
    }

    /** The first {@code n} levels. */
    public Classification prefix(int n) {
        return new Classification(levels.subList(0, Math.min(n, levels.size())));
    }

    @Override
    public String toString() {
        return levels.stream().map(String::valueOf).collect(Collectors.joining("."));
    }
}
