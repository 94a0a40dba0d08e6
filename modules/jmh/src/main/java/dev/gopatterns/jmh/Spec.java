package dev.gopatterns.jmh;

/**
 * A benchmark variant named by a string {@code @Param}: {@code name} or {@code name:capacity}. One parameter lists
 * exactly the pairs that make sense (a parallel stream has no channel buffer, so it appears once, not once per
 * capacity), as {@link Conduit}'s {@code name:capacity} specs do for the channel suite.
 *
 * @param name     the implementation
 * @param capacity the channel buffer, or -1 if the spec has none
 */
record Spec(String name, int capacity) {

    /**
     * Parses {@code spec}.
     *
     * @throws IllegalArgumentException naming the rule the spec breaks
     */
    static Spec parse(String spec) {
        int colon = spec.lastIndexOf(':');
        if (colon < 0) {
            return new Spec(spec, -1);
        }
        String tail = spec.substring(colon + 1);
        if (!tail.chars().allMatch(Character::isDigit) || tail.isEmpty()) {
            return new Spec(spec, -1); // a name with a colon in it, such as "parallelStream:ordered"
        }
        return new Spec(spec.substring(0, colon), Integer.parseInt(tail));
    }

    /**
     * The capacity, for a variant that needs one.
     *
     * @throws IllegalArgumentException if the spec named none
     */
    int requireCapacity() {
        if (capacity < 0) {
            throw new IllegalArgumentException("variant \"" + name + "\" needs a channel capacity: name:capacity, "
                    + "capacity >= 0");
        }
        return capacity;
    }

    /** The error for a variant this benchmark does not know. */
    IllegalArgumentException unknown(String benchmark, String known) {
        return new IllegalArgumentException(benchmark + ": unknown variant \"" + name
                + (capacity >= 0 ? ":" + capacity : "") + "\"; known: " + known);
    }
}
