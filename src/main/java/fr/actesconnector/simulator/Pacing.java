package fr.actesconnector.simulator;

import java.time.Duration;
import java.util.Objects;

/**
 * How fast a simulated transaction moves 1 → 2 → 3 → 4 (a received 3-1 or 4-1: 7 → 8): each step
 * happens once {@code perStep} has passed since the previous one <em>and</em> the transaction's status has been read
 * {@code pollsPerStep} times since then. {@link #IMMEDIATE} answers 4 at the first read.
 *
 * @param perStep      minimum time between two steps (on the simulator's clock)
 * @param pollsPerStep minimum number of status reads between two steps (0 = time only)
 */
public record Pacing(Duration perStep, int pollsPerStep) {
    /** Acknowledged at once: the first status read already answers 4. */
    public static final Pacing IMMEDIATE = new Pacing(Duration.ZERO, 0);
    /** One step per status read: 1, 2, 3, then 4 at the fourth read. */
    public static final Pacing ONE_STEP_PER_POLL = new Pacing(Duration.ZERO, 1);

    public Pacing {
        Objects.requireNonNull(perStep, "perStep");
        if (perStep.isNegative()) throw new IllegalArgumentException("perStep must not be negative: " + perStep);
        if (pollsPerStep < 0) throw new IllegalArgumentException("pollsPerStep must not be negative: " + pollsPerStep);
    }

    public static Pacing every(Duration perStep) {
        return new Pacing(perStep, 0);
    }

    public static Pacing afterPolls(int pollsPerStep) {
        return new Pacing(Duration.ZERO, pollsPerStep);
    }
}
