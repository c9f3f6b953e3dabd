package io.sparklstm.prep;

import io.sparklstm.model.data.Preparation;
import io.sparklstm.prep.io.InputFiles;

import java.util.Optional;

/**
 * What a kind's preparation reads: the {@code input.path} files, the {@code ts.testPath} files (whose cases are
 * all the test split) and a model's preparation to reuse instead of learning one (time-series tables).
 */
public record PrepareInputs(InputFiles files, Optional<InputFiles> testFiles, Optional<Preparation> reuse) {

    public PrepareInputs {
        if (files == null || testFiles == null || reuse == null) {
            throw new IllegalArgumentException("files, testFiles and reuse are required (Optional.empty() for none)");
        }
    }
}
