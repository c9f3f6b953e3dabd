package io.sparklstm.model;

import java.util.List;

/** Small specs for tests. */
public final class TestSpecs {
    private TestSpecs() {
    }

    public static ModelSpec small(CellType cell) {
        return new ModelSpec(cell, List.of(8, 6), List.of(5), false, 0.1, 1e-4, ModelSpec.Clipping.NORM, 1.0,
                ModelSpec.Updater.ADAM, 0.01, 1.0, 0, 42L);
    }
}
