package io.sparklstm.prep.timeseries;

import io.sparklstm.prep.config.DatasetKind;
import io.sparklstm.prep.config.Duplicates;
import io.sparklstm.prep.config.Frequency;
import io.sparklstm.prep.config.InputConfig;
import io.sparklstm.prep.config.MissingConfig;
import io.sparklstm.prep.config.PrepareConfig;
import io.sparklstm.prep.config.SequencesConfig;
import io.sparklstm.prep.config.SplitConfig;
import io.sparklstm.prep.config.TimeSeriesConfig;
import io.sparklstm.prep.config.TsConfig;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Small generated time-series tables with the defects of real ones, and settings to prepare them. Rows of
 * station {@code k} at hour {@code t} have {@code value = 1000 k + t}, so a window shows which series and
 * which rows it was cut from.
 */
final class MessyTable {

    static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    String entityColumn = "";
    List<String> features = List.of("value");
    List<String> targets = List.of("value");
    String timestampColumn = "date";
    boolean header = true;
    Frequency frequency = Frequency.AUTO;
    Duplicates duplicates = Duplicates.FAIL;
    List<String> categorical = List.of();
    TimeSeriesConfig.UnseenCategory unseen = TimeSeriesConfig.UnseenCategory.ERROR;
    MissingConfig.Policy missingDefault = MissingConfig.Policy.FAIL;
    Map<String, MissingConfig.Policy> missingColumns = new HashMap<>();
    SplitConfig split = new SplitConfig(SplitConfig.Method.TIME, List.of(1.0, 0.0, 0.0), "", "", "");
    InputConfig.Format format = InputConfig.Format.CSV;
    InputConfig.BadRecords onBadRecord = InputConfig.BadRecords.FAIL;
    String encoding = "UTF-8";
    int window = 5;
    int horizon = 1;
    boolean normalize = false;

    PrepareConfig config(Path input) {
        TimeSeriesConfig ts = new TimeSeriesConfig(timestampColumn, "yyyy-MM-dd HH:mm:ss", features, targets, window,
                horizon, 1, TimeSeriesConfig.TargetOffset.NONE, entityColumn, List.of(), categorical, unseen,
                new MissingConfig(missingDefault, missingColumns), frequency, duplicates, TimeSeriesConfig.AUTO_SEASON);
        InputConfig in = new InputConfig(input.toString(), ",", header, encoding, format, InputConfig.DEFAULT_NA_TOKENS,
                List.of(-9999.0), onBadRecord);
        return new PrepareConfig(DatasetKind.TIMESERIES, in, ts,
                new SequencesConfig("\\s+", 1, SequencesConfig.Label.LAST_FIELD, 1, List.of()), new TsConfig(""),
                split, normalize, 16, 11L);
    }

    static String date(int hour) {
        return LocalDateTime.of(2020, 1, 1, 0, 0).plusHours(hour).format(DATE);
    }

    /** {@code station,date,value,wind} rows of {@code stations} series of {@code rows} hours each. */
    static List<String> stations(int stations, int rows) {
        List<String> lines = new ArrayList<>();
        lines.add("station,date,value,wind");
        for (int k = 0; k < stations; k++) {
            for (int t = 0; t < rows; t++) {
                lines.add("s" + k + "," + date(t) + "," + (1000 * k + t) + "," + (t % 2 == 0 ? "N" : "S"));
            }
        }
        return lines;
    }

    static Path write(Path dir, String name, List<String> lines) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file;
    }

    /** Every example of a split's files: {@code [features channel-major..., labels...]} per example. */
    static List<double[][]> examples(Path out, List<String> files) {
        List<double[][]> all = new ArrayList<>();
        for (String f : files) {
            DataSet ds = new DataSet();
            ds.load(out.resolve(f).toFile());
            for (int i = 0; i < ds.numExamples(); i++) {
                double[][] e = new double[2][];
                e[0] = ds.getFeatures().slice(i).dup().data().asDouble();
                e[1] = ds.getLabels().getRow(i).dup().data().asDouble();
                all.add(e);
            }
        }
        return all;
    }
}
