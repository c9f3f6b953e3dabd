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

    /** {@code spec} as an ensemble of {@code members} networks (model.ensembleMembers). */
    public static ModelSpec ensemble(ModelSpec spec, int members) {
        return new ModelSpec(spec.cell(), spec.layers(), spec.denseLayers(), spec.bidirectional(), spec.dropout(),
                spec.l2(), spec.clipping(), spec.clipThreshold(), spec.updater(), spec.learningRate(),
                spec.lrDecayPerEpoch(), spec.tbpttSteps(), spec.seed(), spec.kernel(), spec.convLayers(),
                spec.convKernel(), members);
    }
}
