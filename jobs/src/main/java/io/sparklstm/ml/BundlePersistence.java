package io.sparklstm.ml;

import io.sparklstm.jobs.train.HadoopBundleStore;
import io.sparklstm.model.bundle.ModelBundle;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.BiFunction;

/**
 * How both fitted models persist: Spark's metadata (class, uid, parameters) in {@code path/metadata}, then the model
 * bundle under {@code path/model/}, so that {@code path} is also a training run's layout, which
 * {@code spark-lstm predict --model path} reads. Loading makes the model from its uid and bundle, then sets the
 * saved parameters; the training summary is not saved, as with Spark's own models.
 */
final class BundlePersistence {

    /** The bundle's directory under a saved model, as under a training run. */
    static final String BUNDLE_DIR = "model";

    private BundlePersistence() {
    }

    static MLWriter writer(Params model, ModelBundle bundle) {
        return new MLWriter() {
            @Override
            public void saveImpl(String path) {
                DefaultParamsWriter.saveMetadata(model, path, sc(), scala.Option.empty(), scala.Option.empty());
                try {
                    bundle.writeTo(new HadoopBundleStore(new Path(path, BUNDLE_DIR), sc().hadoopConfiguration()));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write the model bundle under " + path + ": "
                            + e.getMessage(), e);
                }
            }
        };
    }

    static <M extends Params> MLReader<M> reader(Class<M> type, BiFunction<String, ModelBundle, M> make) {
        return new MLReader<>() {
            @Override
            public M load(String path) {
                DefaultParamsReader.Metadata metadata = DefaultParamsReader.loadMetadata(path, sc(), type.getName());
                ModelBundle bundle;
                try {
                    bundle = ModelBundle.readFrom(new HadoopBundleStore(new Path(path, BUNDLE_DIR),
                            sc().hadoopConfiguration()));
                } catch (IOException e) {
                    throw new UncheckedIOException(path + ": " + e.getMessage(), e);
                }
                M model = make.apply(metadata.uid(), bundle);
                metadata.getAndSetParams(model, scala.Option.empty());
                return model;
            }
        };
    }
}
