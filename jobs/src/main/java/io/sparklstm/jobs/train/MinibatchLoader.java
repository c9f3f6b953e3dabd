package io.sparklstm.jobs.train;

import io.sparklstm.jobs.evaluate.MinibatchFiles;
import io.sparklstm.prep.io.InputDataException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.datavec.spark.util.BroadcastHadoopConfigHolder;
import org.datavec.spark.util.SerializableHadoopConfig;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.nd4j.common.loader.Source;
import org.nd4j.linalg.dataset.DataSet;

import java.io.Serializable;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * dl4j-spark's loader of minibatch files, with failures that name the file and count as input errors. A path
 * may name a slice of a file ({@link AveragingRounds.Piece}): the examples a worker fits of a file larger than
 * its share of an averaging round.
 */
public final class MinibatchLoader implements DataSetLoader {

    private static final long serialVersionUID = 1L;
    /** No minibatch file of a prepared dataset ends so ({@code batch-NNNNNN.bin}). */
    private static final Pattern SLICE = Pattern.compile("(.+)#examples=(\\d+)-(\\d+)");

    /** The Hadoop configuration on the executors, to open the file a slice is cut from. */
    interface HadoopConfiguration extends Supplier<Configuration>, Serializable {
    }

    private final HadoopConfiguration hadoop;
    /** The executor's Hadoop configuration, built once per deserialized loader (a task's). */
    private transient Configuration configuration;
    /** The file the last slice was cut from: a worker's slices of one file come one after another. */
    private transient String lastFile;
    private transient DataSet lastFileData;

    /** With the Hadoop configuration dl4j-spark itself broadcasts for reading paths. */
    public MinibatchLoader(JavaSparkContext sc) {
        Broadcast<SerializableHadoopConfig> broadcast = BroadcastHadoopConfigHolder.get(sc);
        this.hadoop = () -> broadcast.getValue().getConfiguration();
    }

    MinibatchLoader(HadoopConfiguration hadoop) {
        this.hadoop = hadoop;
    }

    /** The path of examples {@code [from, to)} of {@code file}. */
    static String slicePath(String file, int from, int to) {
        return file + "#examples=" + from + "-" + to;
    }

    private record Slice(String file, int from, int to) {
        static Optional<Slice> of(String path) {
            Matcher m = SLICE.matcher(path);
            return m.matches()
                    ? Optional.of(new Slice(m.group(1), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))))
                    : Optional.empty();
        }
    }

    /**
     * The minibatch at {@code source}'s path, opened here rather than through {@code source}: dl4j-spark's source
     * opens every file with a 4 MiB buffer (and Hadoop's local file system adds another), allocated and cleared
     * for files of tens of kilobytes; that doubled the time to read a round's files (5 files of 52 KB: about 1 ms
     * a file against 0.5). The bytes read are the same.
     */
    @Override
    public DataSet load(Source source) {
        Optional<Slice> slice = Slice.of(source.getPath());
        if (slice.isEmpty()) {
            return read(source.getPath());
        }
        Slice s = slice.get();
        DataSet whole = file(s.file());
        if (s.to() > whole.numExamples()) {
            throw new InputDataException(s.file() + ": the minibatch file holds " + whole.numExamples()
                    + " examples, fewer than when training started (" + s.to() + " at least); was it replaced?");
        }
        // a copy, not a view: the worker may split it, and ND4J mis-slices views of views (AveragingRounds)
        return ((DataSet) whole.getRange(s.from(), s.to())).copy();
    }

    private DataSet file(String name) {
        if (!name.equals(lastFile)) {
            lastFileData = read(name);
            lastFile = name;
        }
        return lastFileData;
    }

    private DataSet read(String name) {
        Path file = new Path(name);
        return MinibatchFiles.read(name, () -> file.getFileSystem(configuration()).open(file));
    }

    private Configuration configuration() {
        if (configuration == null) configuration = hadoop.get();
        return configuration;
    }
}
