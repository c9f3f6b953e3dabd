package io.sparklstm.prep.job;

import io.sparklstm.prep.config.PrepareConfig;
import io.sparklstm.prep.config.SplitConfig.DuplicatesAcrossSplits;
import io.sparklstm.prep.export.CrossSplitDuplicates;
import io.sparklstm.prep.export.MinibatchWriter;
import io.sparklstm.prep.io.InputDataException;
import io.sparklstm.prep.io.InputFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code prepare} does about examples whose content occurs in two splits ({@code split.duplicatesAcrossSplits}):
 * stop before any file is written, naming two places of such an example, or say how many there are.
 */
final class SplitOverlap {

    private static final Logger LOG = LoggerFactory.getLogger(SplitOverlap.class);

    private final PrepareConfig config;
    private final List<String> paths;
    private final boolean separateTestFiles;
    private CrossSplitDuplicates.Found found;

    /** @param testFiles the {@code ts.testPath} files, or null */
    SplitOverlap(PrepareConfig config, InputFiles files, InputFiles testFiles) {
        this.config = config;
        this.paths = new ArrayList<>(files.paths());
        if (testFiles != null) paths.addAll(testFiles.paths());
        this.separateTestFiles = testFiles != null;
    }

    /** The policy in effect: {@code auto} fails for a test split read from files of its own, else warns. */
    DuplicatesAcrossSplits policy() {
        DuplicatesAcrossSplits p = config.split().duplicatesAcrossSplits();
        if (p != DuplicatesAcrossSplits.AUTO) return p;
        return separateTestFiles ? DuplicatesAcrossSplits.FAIL : DuplicatesAcrossSplits.WARN;
    }

    void check(CrossSplitDuplicates.Found duplicates) {
        this.found = duplicates;
        if (duplicates.total() == 0) return;
        String message = describe(duplicates);
        if (policy() == DuplicatesAcrossSplits.FAIL) {
            throw new InputDataException(message + "; remove the copies from the input (or set "
                    + "split.duplicatesAcrossSplits = warn if they are meant to be there)");
        }
        LOG.warn("prepare: {} (split.duplicatesAcrossSplits = {}; counted in the manifest)", message,
                config.split().duplicatesAcrossSplits().name().toLowerCase(Locale.ROOT));
    }

    CrossSplitDuplicates.Found found() {
        return found == null ? new CrossSplitDuplicates.Found(new long[3], List.of()) : found;
    }

    private String describe(CrossSplitDuplicates.Found f) {
        List<String> counts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            if (f.pairs()[i] == 0) continue;
            String[] pair = CrossSplitDuplicates.Found.PAIR_NAMES.get(i).split("-");
            counts.add(f.pairs()[i] + " " + pair[1] + " example(s) also in " + pair[0]);
        }
        CrossSplitDuplicates.Sample s = f.samples().get(0);
        return "the same examples occur in two splits: " + String.join(", ", counts) + "; e.g. "
                + place(s.laterEntity(), s.laterPosition()) + " (" + splitName(s.laterSplit()) + ") is the same as "
                + place(s.earlierEntity(), s.earlierPosition()) + " (" + splitName(s.earlierSplit()) + ")";
    }

    private static String splitName(int split) {
        return MinibatchWriter.SPLIT_NAMES.get(split);
    }

    /** Where an example comes from, from its entity and position (see {@code Example}). */
    private String place(String entity, long position) {
        return DatasetKinds.of(config.kind()).place(entity, position, paths);
    }
}
