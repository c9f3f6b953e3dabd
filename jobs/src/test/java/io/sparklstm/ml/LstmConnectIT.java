package io.sparklstm.ml;

import org.apache.spark.connect.proto.Command;
import org.apache.spark.connect.proto.DataType;
import org.apache.spark.connect.proto.ExecutePlanResponse;
import org.apache.spark.connect.proto.Expression;
import org.apache.spark.connect.proto.Fetch;
import org.apache.spark.connect.proto.MlCommand;
import org.apache.spark.connect.proto.MlCommandResult;
import org.apache.spark.connect.proto.MlOperator;
import org.apache.spark.connect.proto.MlParams;
import org.apache.spark.connect.proto.MlRelation;
import org.apache.spark.connect.proto.ObjectRef;
import org.apache.spark.connect.proto.Relation;
import org.apache.spark.connect.proto.SQL;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connect.service.SparkConnectService$;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.runtime.BoxedUnit;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The classifier over Spark Connect (Spark 4 only; the spark-3.5 build leaves this class out): a Connect server on
 * the test JVM's local session, its Scala client, and the ML commands a Connect client sends. Spark 4.1 has no JVM
 * spark.ml client (only PySpark's), so the test sends the protocol messages itself through the client's
 * {@code @DeveloperApi} {@code execute(Command)} and {@code newDataFrame}. The server finds the estimator and the
 * model in this module's {@code META-INF/services} files.
 *
 * <p>The model cache's memory limit is one byte, so each use of a model reloads it from the server's local copy
 * (the path a long-idle model takes), which needs the model listed as a Transformer with a public no-arg
 * constructor.
 */
class LstmConnectIT {

    private static final String VIEW = "global_temp.lstm_connect_synthetic_control";
    private static final String SERIES = "global_temp.lstm_connect_etth1";
    private static final String[] LOADS = {"HUFL", "HULL", "MUFL", "MULL", "LUFL", "LULL", "OT"};

    @TempDir
    static Path dir;
    private static SparkSession server;
    private static org.apache.spark.sql.connect.SparkSession client;
    private static Relation input;
    private static String modelId;

    @BeforeAll
    static void startServerAndFit() throws IOException {
        MlData.stop(); // the server's settings must reach a new SparkContext
        int port = freePort();
        server = SparkSession.builder().master("local[2]").appName("spark-lstm-connect-it")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.connect.grpc.binding.address", "127.0.0.1")
                .config("spark.connect.grpc.binding.port", String.valueOf(port))
                .config("spark.connect.session.connectML.mlCache.memoryControl.enabled", "true")
                .config("spark.connect.session.connectML.mlCache.memoryControl.maxInMemorySize", "1")
                .getOrCreate();
        // a global view: the Connect session is a different session of the same SparkContext
        MlData.syntheticControl(3).createOrReplaceGlobalTempView("lstm_connect_synthetic_control");
        etth1(300).createOrReplaceGlobalTempView("lstm_connect_etth1");
        SparkConnectService$.MODULE$.start(server.sparkContext());
        client = org.apache.spark.sql.connect.SparkSession.builder().remote("sc://127.0.0.1:" + port).getOrCreate();
        input = Relation.newBuilder().setSql(SQL.newBuilder().setQuery("select * from " + VIEW)).build();
        modelId = fit();
    }

    @AfterAll
    static void stopAll() {
        try {
            if (client != null) client.close();
        } finally {
            SparkConnectService$.MODULE$.stop(scala.Option.empty(), scala.Option.empty());
            MlData.stop();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The Fit command with the settings of {@link LstmMlIT#classifier}, fewer epochs; returns the model's id. */
    private static String fit() {
        MlParams params = MlParams.newBuilder()
                .putParams("hiddenUnits", intArray(32))
                .putParams("learningRate", Expression.Literal.newBuilder().setDouble(0.01).build())
                .putParams("epochs", integer(5))
                .putParams("minibatchSize", integer(16))
                .putParams("averagingFrequency", integer(3))
                .putParams("numWorkers", integer(2))
                .putParams("perSequence", string("standardize"))
                .putParams("sequenceStats", Expression.Literal.newBuilder().setBoolean(true).build())
                .putParams("seed", Expression.Literal.newBuilder().setLong(7L).build())
                .putParams("tempDir", string(dir.resolve("tmp").toUri().toString()))
                .build();
        MlCommandResult result = run(MlCommand.newBuilder().setFit(MlCommand.Fit.newBuilder()
                .setEstimator(operator(LstmClassifier.class.getName(), MlOperator.OperatorType.OPERATOR_TYPE_ESTIMATOR))
                .setParams(params)
                .setDataset(input)).build());
        return result.getOperatorInfo().getObjRef().getId();
    }

    @Test
    void aModelFittedOverConnectScoresEveryRowBetterThanChance() {
        List<Row> rows = transform(modelId);
        assertEquals(200, rows.size());
        long right = rows.stream().filter(r -> r.getDouble(0) == r.getDouble(1)).count();
        double accuracy = (double) right / rows.size();
        // six classes: an untrained network is right about 1 time in 6
        assertTrue(accuracy > 1.0 / 3, "training accuracy over Connect " + accuracy);
    }

    @Test
    void theTrainingSummaryIsNotReachableOverConnect() {
        // the server fetches only attributes on its fixed allow-list of Spark's own classes
        Exception e = assertThrows(Exception.class, () -> run(MlCommand.newBuilder().setFetch(Fetch.newBuilder()
                .setObjRef(ObjectRef.newBuilder().setId(modelId))
                .addMethods(Fetch.Method.newBuilder().setMethod("summary"))).build()));
        assertTrue(String.valueOf(e.getMessage()).contains("ATTRIBUTE_NOT_ALLOWED"), e.toString());
    }

    @Test
    void aModelWrittenOverConnectReadsBackAndScoresAsBefore() {
        Path saved = dir.resolve("saved");
        run(MlCommand.newBuilder().setWrite(MlCommand.Write.newBuilder()
                .setObjRef(ObjectRef.newBuilder().setId(modelId))
                .setPath(saved.toString()).setShouldOverwrite(true)).build());
        assertTrue(Files.isDirectory(saved.resolve(LstmClassificationModel.BUNDLE_DIR)), "bundle under " + saved);
        // the very files spark.ml reads in the classic API
        assertEquals(LstmClassificationModel.class, LstmClassificationModel.load(saved.toString()).getClass());

        String readId = run(MlCommand.newBuilder().setRead(MlCommand.Read.newBuilder()
                .setOperator(operator(LstmClassificationModel.class.getName(), MlOperator.OperatorType.OPERATOR_TYPE_MODEL))
                .setPath(saved.toString())).build()).getOperatorInfo().getObjRef().getId();
        assertEquals(transform(modelId), transform(readId));
    }

    /** ETTh1's first hours: the date as text, the seven loads as doubles. */
    private static org.apache.spark.sql.Dataset<Row> etth1(int hours) {
        org.apache.spark.sql.Dataset<Row> raw = MlData.spark().read().option("header", "true")
                .csv(MlData.shipped("etth1/ETTh1.csv").toString()).limit(hours);
        org.apache.spark.sql.Column[] columns = new org.apache.spark.sql.Column[LOADS.length + 1];
        columns[0] = org.apache.spark.sql.functions.col("date");
        for (int i = 0; i < LOADS.length; i++) {
            columns[i + 1] = org.apache.spark.sql.functions.col(LOADS[i]).cast("double").as(LOADS[i]);
        }
        return raw.select(columns);
    }

    /**
     * The forecaster over Connect: Fit with time-series parameters (string arrays among them), Transform, and Write;
     * the written model, loaded with the classic API, forecasts every row exactly as the model the server holds.
     */
    @Test
    void aForecasterFittedOverConnectForecastsAsTheModelItWrites() {
        Relation series = Relation.newBuilder().setSql(SQL.newBuilder().setQuery("select * from " + SERIES)).build();
        MlParams params = MlParams.newBuilder()
                .putParams("timestampCol", string("date"))
                .putParams("featureCols", strings(LOADS))
                .putParams("targetCols", strings("OT"))
                .putParams("windowSteps", integer(24))
                .putParams("horizonSteps", integer(4))
                .putParams("hiddenUnits", intArray(8))
                .putParams("epochs", integer(1))
                .putParams("numWorkers", integer(2))
                .putParams("seed", Expression.Literal.newBuilder().setLong(3L).build())
                .putParams("tempDir", string(dir.resolve("tmp-forecaster").toUri().toString()))
                .build();
        String id = run(MlCommand.newBuilder().setFit(MlCommand.Fit.newBuilder()
                .setEstimator(operator(LstmForecaster.class.getName(), MlOperator.OperatorType.OPERATOR_TYPE_ESTIMATOR))
                .setParams(params)
                .setDataset(series)).build()).getOperatorInfo().getObjRef().getId();
        List<Row> overConnect = transformed(id, series).orderBy("date").select("date", "forecast", "prediction")
                .collectAsList();
        assertEquals(300, overConnect.size());

        Path saved = dir.resolve("forecaster");
        run(MlCommand.newBuilder().setWrite(MlCommand.Write.newBuilder()
                .setObjRef(ObjectRef.newBuilder().setId(id))
                .setPath(saved.toString()).setShouldOverwrite(true)).build());
        List<Row> classic = LstmForecastModel.load(saved.toString()).transform(server.table(SERIES)).orderBy("date")
                .select("date", "forecast", "prediction").collectAsList();
        assertEquals(300, classic.size());
        int forecasts = 0;
        for (int i = 0; i < classic.size(); i++) {
            assertEquals(classic.get(i).getString(0), overConnect.get(i).getString(0));
            assertEquals(String.valueOf(nested(classic.get(i).get(1))), String.valueOf(nested(overConnect.get(i).get(1))),
                    classic.get(i).getString(0));
            assertEquals(classic.get(i).get(2), overConnect.get(i).get(2), classic.get(i).getString(0));
            if (!classic.get(i).isNullAt(1)) forecasts++;
        }
        assertEquals(300 - 23, forecasts);
    }

    /** An array column's value as nested Java lists, whichever collection the client or the server returns. */
    private static Object nested(Object value) {
        if (value instanceof scala.collection.Iterable<?> seq) {
            return nested(scala.jdk.javaapi.CollectionConverters.asJava(seq));
        }
        if (value instanceof Iterable<?> list) {
            java.util.List<Object> out = new java.util.ArrayList<>();
            for (Object o : list) out.add(nested(o));
            return out;
        }
        if (value != null && value.getClass().isArray()) {
            java.util.List<Object> out = new java.util.ArrayList<>();
            for (int i = 0; i < java.lang.reflect.Array.getLength(value); i++) out.add(nested(java.lang.reflect.Array.get(value, i)));
            return out;
        }
        return value;
    }

    /** (label, prediction) of every row, in id order, from the model the server holds under {@code id}. */
    private static List<Row> transform(String id) {
        return transformed(id, input).orderBy("id").select("label", "prediction").collectAsList();
    }

    /** The client's DataFrame of the model the server holds under {@code id} applied to {@code rows}. */
    private static org.apache.spark.sql.connect.Dataset<Row> transformed(String id, Relation rows) {
        return client.newDataFrame(b -> {
            b.setMlRelation(MlRelation.newBuilder().setTransform(MlRelation.Transform.newBuilder()
                    .setObjRef(ObjectRef.newBuilder().setId(id)).setInput(rows).setParams(MlParams.newBuilder())));
            return BoxedUnit.UNIT;
        });
    }

    private static MlCommandResult run(MlCommand command) {
        Command wrapped = Command.newBuilder().setMlCommand(command).build();
        for (ExecutePlanResponse response : scala.jdk.javaapi.CollectionConverters.asJava(client.execute(wrapped))) {
            if (response.hasMlCommandResult()) return response.getMlCommandResult();
        }
        throw new AssertionError("no ML command result for " + command);
    }

    private static MlOperator operator(String className, MlOperator.OperatorType type) {
        return MlOperator.newBuilder().setName(className).setUid(className).setType(type).build();
    }

    private static Expression.Literal integer(int value) {
        return Expression.Literal.newBuilder().setInteger(value).build();
    }

    private static Expression.Literal string(String value) {
        return Expression.Literal.newBuilder().setString(value).build();
    }

    private static Expression.Literal strings(String... values) {
        Expression.Literal.Array.Builder array = Expression.Literal.Array.newBuilder()
                .setElementType(DataType.newBuilder().setString(DataType.String.getDefaultInstance()));
        for (String v : values) array.addElements(string(v));
        return Expression.Literal.newBuilder().setArray(array).build();
    }

    private static Expression.Literal intArray(int... values) {
        Expression.Literal.Array.Builder array = Expression.Literal.Array.newBuilder()
                .setElementType(DataType.newBuilder().setInteger(DataType.Integer.getDefaultInstance()));
        for (int v : values) array.addElements(integer(v));
        return Expression.Literal.newBuilder().setArray(array).build();
    }
}
