package io.sparklstm.prep.timeseries;

import io.sparklstm.prep.SparkTestContext;
import io.sparklstm.prep.config.DatasetKind;
import io.sparklstm.prep.config.InputConfig;
import io.sparklstm.prep.config.PrepareConfig;
import io.sparklstm.prep.config.SequencesConfig;
import io.sparklstm.prep.config.SplitConfig;
import io.sparklstm.prep.config.TimeSeriesConfig;
import io.sparklstm.prep.config.TsConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Settings and real-data slices of ETTh1 for time-series preparation tests. */
final class TimeSeriesFixtures {

    private TimeSeriesFixtures() {
    }

    /** The header and the first {@code rows} rows of ETTh1, written to {@code dir}. */
    static Path etth1Slice(Path dir, int rows) throws IOException {
        List<String> lines = Files.readAllLines(SparkTestContext.shippedData("etth1/ETTh1.csv"), StandardCharsets.UTF_8);
        Path slice = dir.resolve("etth1-slice.csv");
        Files.write(slice, lines.subList(0, rows + 1), StandardCharsets.UTF_8);
        return slice;
    }

    static PrepareConfig timeseries(Path input, SplitConfig split, int window, int horizon) {
        return new PrepareConfig(DatasetKind.TIMESERIES, new InputConfig(input.toString(), ",", true, "UTF-8"),
                new TimeSeriesConfig("date", "yyyy-MM-dd HH:mm:ss", List.of(), List.of(), window, horizon, 1, TimeSeriesConfig.TargetOffset.NONE),
                new SequencesConfig("\\s+", 1, SequencesConfig.Label.LAST_FIELD, 1, List.of()),
                new TsConfig(""), split, true, 16, 7L);
    }

    static SplitConfig fractions(double train, double validation, double test) {
        return new SplitConfig(SplitConfig.Method.TIME, List.of(train, validation, test), "", "", "");
    }

    /** Raw values of the feature columns (all but the first) of the data rows of a CSV slice. */
    static double[][] csvValues(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        double[][] rows = new double[lines.size() - 1][];
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",");
            rows[i - 1] = new double[f.length - 1];
            for (int j = 1; j < f.length; j++) rows[i - 1][j - 1] = Double.parseDouble(f[j]);
        }
        return rows;
    }
}
