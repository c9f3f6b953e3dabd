package io.sparklstm.ml;

import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Transformer;
import org.junit.jupiter.api.Test;

import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The services files Spark Connect's server reads: every entry (Spark's own included) has a public no-arg
 * constructor, as the server's {@link ServiceLoader} stream needs (one entry without breaks the lookup for all), and
 * both of our estimators and models are listed and instantiate. No Spark session: our constructors need none.
 */
class ConnectServicesTest {

    private static <T> Set<String> ours(Class<T> type) {
        // type() is what the server's stream asks of every entry (it fails without a public no-arg constructor);
        // only ours are built (some of Spark's own models refuse their no-arg constructor outside a session)
        return ServiceLoader.load(type).stream().filter(p -> p.type().getName().startsWith("io.sparklstm."))
                .map(ServiceLoader.Provider::get).map(o -> o.getClass().getName()).collect(Collectors.toSet());
    }

    @Test
    void bothEstimatorsAreListedAndInstantiate() {
        assertEquals(Set.of(LstmClassifier.class.getName(), LstmForecaster.class.getName()), ours(Estimator.class));
    }

    @Test
    void bothModelsAreListedAndInstantiate() {
        assertEquals(Set.of(LstmClassificationModel.class.getName(), LstmForecastModel.class.getName()),
                ours(Transformer.class));
    }

    @Test
    void theServersUidConstructorKeepsTheUid() {
        assertEquals("lstm_1", new LstmClassificationModel("lstm_1").uid());
        assertEquals("lstm_2", new LstmForecastModel("lstm_2").uid());
    }

    @Test
    void anUnfittedModelSaysHowToGetAFittedOne() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new LstmForecastModel().bundle());
        assertTrue(e.getMessage().contains("fit a LstmForecaster or load a saved model"), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> new LstmClassificationModel().numClasses());
        assertTrue(e.getMessage().contains("fit a LstmClassifier or load a saved model"), e.getMessage());
    }
}
