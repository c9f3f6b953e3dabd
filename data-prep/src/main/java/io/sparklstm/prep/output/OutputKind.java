package io.sparklstm.prep.output;

import java.util.Locale;
import java.util.Optional;

/** What an output directory holds. {@code --overwrite} replaces an output only with one of its own kind. */
public enum OutputKind {
    PREPARED_DATASET("prepared dataset"),
    TRAINING_RUN("training run"),
    PIPELINE("pipeline output"),
    PREDICTIONS("predictions"),
    GENERATED_TABLE("generated table"),
    CROSS_VALIDATION("cross-validation");

    private final String description;

    OutputKind(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** The name in the marker file, e.g. {@code training-run}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static Optional<OutputKind> fromId(String id) {
        for (OutputKind kind : values()) {
            if (kind.id().equals(id)) return Optional.of(kind);
        }
        return Optional.empty();
    }
}
