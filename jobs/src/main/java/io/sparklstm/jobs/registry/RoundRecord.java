package io.sparklstm.jobs.registry;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One decision in a registry's history ({@code history/<seq>.json}), in the key order and with the keys those
 * files have always had: a component that is {@code null} is absent from the file (the record's kind decides
 * which are set; the factories below build each kind). Components stay nullable because they mirror the file;
 * callers read the optional ones through the {@code Optional} accessors. Metrics, drift and the lock owner keep the
 * shapes their producers give them.
 *
 * @param at        when it was recorded (ISO-8601); absent in some hand-written records of older registries
 * @param lock      the owner of a lock broken as stale ({@link RoundDecision#STALE_LOCK_BROKEN})
 * @param champion  the version in service when a round was decided, written as {@code null} when there was none;
 *                  absent from records that are not a round's decision
 * @param version   the version a round promoted, or a recovered record is about
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"at", "round", "decision", "lock", "reason", "champion", "figures", "challengerMetrics",
        "championMetrics", "drift", "run", "dataFingerprint", "holdoutMetrics", "version"})
public record RoundRecord(String at, String round, RoundDecision decision, Map<String, Object> lock, String reason,
                          Champion champion, PromotionRule.Figures figures, Map<String, Object> challengerMetrics,
                          Map<String, Object> championMetrics, Map<String, Object> drift, String run,
                          String dataFingerprint, Map<String, Object> holdoutMetrics, Integer version) {

    public RoundRecord {
        Objects.requireNonNull(decision, "a history record needs a decision");
        // a round's decision always names its champion, null for none: reading "champion": null gives no object
        if (figures != null && champion == null) champion = new Champion(null);
    }

    /**
     * The champion a round faced: its version, or none for a registry's first round. Written as the bare number,
     * or {@code null}.
     */
    public record Champion(Integer version) {

        public static Champion of(Optional<Integer> version) {
            return new Champion(version.orElse(null));
        }

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static Champion read(Integer version) {
            return new Champion(version);
        }

        @JsonValue
        @Override
        public Integer version() {
            return version;
        }
    }

    /** A decision with only the common keys, as tests and tools write by hand. */
    public static RoundRecord of(String round, RoundDecision decision) {
        return new RoundRecord(null, round, decision, null, null, null, null, null, null, null, null, null, null,
                null);
    }

    /** A stale lock taken over at the start of {@code round}. */
    public static RoundRecord lockBroken(String round, Map<String, Object> brokenLock) {
        return new RoundRecord(now(), round, RoundDecision.STALE_LOCK_BROKEN, brokenLock, null, null, null, null, null,
                null, null, null, null, null);
    }

    /** {@code CURRENT} pointed again at the version last promoted, in {@code round}. */
    public static RoundRecord restored(String round, String reason) {
        return new RoundRecord(now(), round, RoundDecision.RESTORED, null, reason, null, null, null, null, null, null,
                null, null, null);
    }

    /** A promotion a crash left unrecorded, recorded now with the version's holdout metrics. */
    public static RoundRecord recoveredPromotion(String round, String reason, Map<String, Object> holdoutMetrics,
                                                 int version) {
        return new RoundRecord(now(), round, RoundDecision.PROMOTED, null, reason, null, null, null, null, null, null,
                null, holdoutMetrics, version);
    }

    /** A version published before a crash and never promoted. */
    public static RoundRecord abandoned(String round, String reason, int version) {
        return new RoundRecord(now(), round, RoundDecision.ABANDONED, null, reason, null, null, null, null, null, null,
                null, null, version);
    }

    /** What a round compared and found; {@link #promotedAs} adds the version it put in service. */
    public record Round(String round, Optional<Integer> champion, PromotionRule.Figures figures,
                        Map<String, Object> challengerMetrics, Optional<Map<String, Object>> championMetrics,
                        Optional<Map<String, Object>> drift, String run, String dataFingerprint) {
    }

    /** A round's decision: {@code decision} is {@link RoundDecision#PROMOTED} or {@link RoundDecision#KEPT_CHAMPION}. */
    public static RoundRecord decided(Round r, RoundDecision decision, String reason) {
        if (!decision.decidesRound()) throw new IllegalArgumentException(decision + " does not decide a round");
        return new RoundRecord(now(), r.round(), decision, null, reason, Champion.of(r.champion()), r.figures(),
                r.challengerMetrics(), r.championMetrics().orElse(null), r.drift().orElse(null), r.run(),
                r.dataFingerprint(), null, null);
    }

    /** This record with the version it promoted. */
    public RoundRecord promotedAs(int promoted) {
        return new RoundRecord(at, round, decision, lock, reason, champion, figures, challengerMetrics,
                championMetrics, drift, run, dataFingerprint, holdoutMetrics, promoted);
    }

    /** The version this record is about, if any. */
    public Optional<Integer> recordedVersion() {
        return Optional.ofNullable(version);
    }

    /** Why it was decided, if said. */
    public Optional<String> why() {
        return Optional.ofNullable(reason);
    }

    private static String now() {
        return Instant.now().toString();
    }
}
