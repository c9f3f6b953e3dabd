package io.sparklstm.ml;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparklstm.jobs.cli.Main;
import io.sparklstm.model.Json;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A model saved with Spark ML's writer is a model the command line scores: {@code spark-lstm predict --model PATH}.
 * Its own class, because the command stops the Spark session it shares when it ends.
 */
class SavedModelCommandLineIT {

    @AfterAll
    static void stopSpark() {
        MlData.stop();
    }

    @Test
    void predictScoresASavedModelLikeItsTransform(@TempDir Path dir) throws IOException {
        Dataset<Row> all = MlData.syntheticControl(3);
        Dataset<Row> train = all.filter("id % 4 != 0");
        List<Row> test = all.filter("id % 4 = 0").orderBy("id").collectAsList();
        LstmClassificationModel model = LstmClassifierIT.classifier(dir.resolve("tmp")).setEpochs(3).fit(train);
        String saved = dir.resolve("model").toString();
        model.write().save(saved);
        double transformAccuracy = model.transform(all.filter("id % 4 = 0")).filter("prediction = label").count()
                / (double) test.size();

        // the held-out rows as the .ts lines fit writes, the input predict reads for this model
        List<String> lines = new ArrayList<>(List.of(TsExport.header(1, 6).split("\n")));
        for (Row r : test) {
            lines.add(TsExport.line(org.apache.spark.sql.RowFactory.create(r.get(1), r.getDouble(2)), "features", 1));
        }
        Path input = dir.resolve("test.ts");
        Files.write(input, lines);
        Path out = dir.resolve("predictions");
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(err, true), "predict", "--model", saved, "--input", input.toString(),
                "--output", out.toString(), "--master", "local[2]");
        assertEquals(0, code, err.toString());
        JsonNode summary = Json.mapper().readTree(out.resolve("predict-summary.json").toFile());
        assertEquals(test.size(), summary.get("casesScored").asInt());
        assertEquals(transformAccuracy, summary.get("accuracy").asDouble(), 1e-9, summary.toString());
        assertTrue(transformAccuracy > 0.5, "accuracy " + transformAccuracy);
    }
}
