package io.sparklstm.prep.export;

import io.sparklstm.prep.InputDataException;
import io.sparklstm.prep.io.HadoopConf;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import scala.Tuple2;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes examples as DL4J {@link DataSet} minibatch files, {@code <split>/batch-NNNNNN.bin} under the
 * output directory, from the executors. Examples are put in a total order (see {@link ExampleOrder}),
 * numbered, and grouped into consecutive batches of {@code minibatchSize}, so the same input always gives
 * the same files. Only the list of written files comes back to the driver.
 */
public final class MinibatchWriter implements Serializable {

    public static final List<String> SPLIT_NAMES = List.of("train", "validation", "test");

    private final BatchShape shape;
    private final String outputDir;
    private final HadoopConf hadoopConf;
    private final long seed;

    public MinibatchWriter(BatchShape shape, String outputDir, HadoopConf hadoopConf, long seed) {
        this.shape = shape;
        this.outputDir = outputDir;
        this.hadoopConf = hadoopConf;
        this.seed = seed;
    }

    /** Writes all splits; returns the files written, in split and batch order. */
    public List<BatchFile> write(JavaRDD<Example> examples, int partitions) {
        examples.persist(StorageLevel.MEMORY_AND_DISK_SER());
        try {
            Map<Integer, Long> counts = examples.map(Example::split).countByValue();
            long[] firstExample = new long[SPLIT_NAMES.size() + 1];
            long[] firstBatch = new long[SPLIT_NAMES.size() + 1];
            for (int s = 0; s < SPLIT_NAMES.size(); s++) {
                long n = counts.getOrDefault(s, 0L);
                firstExample[s + 1] = firstExample[s] + n;
                firstBatch[s + 1] = firstBatch[s] + (n + shape.minibatchSize() - 1) / shape.minibatchSize();
            }
            long totalBatches = firstBatch[SPLIT_NAMES.size()];
            if (totalBatches == 0) {
                return List.of();
            }
            int writers = (int) Math.max(1, Math.min(totalBatches, partitions));
            long seedForOrder = seed;
            JavaPairRDD<Long, Example> numbered = examples
                    .mapToPair(e -> new Tuple2<>(ExampleOrder.of(e, seedForOrder), e))
                    .sortByKey(true, Math.max(1, partitions))
                    .values()
                    .zipWithIndex()
                    .mapToPair(Tuple2::swap);
            BatchPartitioner partitioner = new BatchPartitioner(writers, totalBatches, shape.minibatchSize(),
                    firstExample, firstBatch);
            List<BatchFile> written = new ArrayList<>(numbered
                    .repartitionAndSortWithinPartitions(partitioner, Comparator.<Long>naturalOrder())
                    .mapPartitions(part -> writePartition(part, partitioner))
                    .collect());
            written.sort(Comparator.comparingInt(BatchFile::split).thenComparingLong(BatchFile::index));
            return written;
        } finally {
            examples.unpersist(false);
        }
    }

    private Iterator<BatchFile> writePartition(Iterator<Tuple2<Long, Example>> records, BatchPartitioner batches)
            throws IOException {
        List<BatchFile> files = new ArrayList<>();
        List<Example> batch = new ArrayList<>(shape.minibatchSize());
        long currentBatch = -1;
        while (records.hasNext()) {
            Tuple2<Long, Example> record = records.next();
            long batchId = batches.batchOf(record._1());
            if (batchId != currentBatch && !batch.isEmpty()) {
                files.add(writeBatch(batch, currentBatch, batches));
                batch.clear();
            }
            currentBatch = batchId;
            batch.add(record._2());
        }
        if (!batch.isEmpty()) {
            files.add(writeBatch(batch, currentBatch, batches));
        }
        return files.iterator();
    }

    private BatchFile writeBatch(List<Example> batch, long globalBatch, BatchPartitioner batches) throws IOException {
        int split = batch.get(0).split();
        long index = globalBatch - batches.firstBatch[split];
        String relative = String.format(Locale.ROOT, "%s/batch-%06d.bin", SPLIT_NAMES.get(split), index);
        DataSet dataSet = toDataSet(batch, shape);
        Path path = new Path(outputDir, relative);
        FileSystem fs = path.getFileSystem(hadoopConf.get());
        try (FSDataOutputStream out = fs.create(path, true)) {
            dataSet.save(out);
        }
        return new BatchFile(split, index, relative, batch.size(), fs.getFileStatus(path).getLen());
    }

    /**
     * A batch's inputs: {@code [batch, channels, steps]} features padded at the end to the longest example, and
     * a {@code [batch, steps]} mask where lengths differ (null where they do not).
     */
    public record StackedInputs(INDArray features, INDArray mask) {
    }

    /** Stacks the features of examples as {@link #toDataSet} does, for networks that only read them (scoring). */
    public static StackedInputs stackInputs(List<Example> batch, int channels) {
        int n = batch.size();
        int maxSteps = batch.stream().mapToInt(Example::steps).max().orElseThrow();
        boolean ragged = batch.stream().anyMatch(e -> e.steps() != maxSteps);
        float[] features = new float[n * channels * maxSteps];
        float[] mask = ragged ? new float[n * maxSteps] : null;
        for (int i = 0; i < n; i++) {
            Example e = batch.get(i);
            if (e.features().length != channels * e.steps()) {
                throw new InputDataException("example " + e.entity() + "@" + e.position() + " has "
                        + e.features().length + " values, expected " + channels + " channels x " + e.steps() + " steps");
            }
            for (int c = 0; c < channels; c++) {
                System.arraycopy(e.features(), c * e.steps(), features, (i * channels + c) * maxSteps, e.steps());
            }
            if (mask != null) {
                java.util.Arrays.fill(mask, i * maxSteps, i * maxSteps + e.steps(), 1f);
            }
        }
        return new StackedInputs(Nd4j.create(features, new long[]{n, channels, maxSteps}, 'c'),
                mask == null ? null : Nd4j.create(mask, new long[]{n, maxSteps}, 'c'));
    }

    /**
     * Stacks examples into {@code [batch, channels, steps]} features, padded at the end to the longest
     * sequence of the batch with a {@code [batch, steps]} mask where lengths differ, and one-hot or
     * regression labels, or one-hot labels at every step ({@code [batch, classes, steps]}).
     */
    public static DataSet toDataSet(List<Example> batch, BatchShape shape) {
        StackedInputs inputs = stackInputs(batch, shape.channels());
        int n = batch.size();
        int maxSteps = (int) inputs.features().size(2);
        float[] labels = new float[n * shape.outputs() * (shape.stepLabels() ? maxSteps : 1)];
        for (int i = 0; i < n; i++) {
            Example e = batch.get(i);
            if (shape.stepLabels()) {
                putStepLabels(e, i, shape.outputs(), maxSteps, labels);
            } else if (shape.classification()) {
                labels[i * shape.outputs() + e.classIndex()] = 1f;
            } else {
                System.arraycopy(e.target(), 0, labels, i * shape.outputs(), shape.outputs());
            }
        }
        INDArray l = shape.stepLabels()
                ? Nd4j.create(labels, new long[]{n, shape.outputs(), maxSteps}, 'c')
                : Nd4j.create(labels, new long[]{n, shape.outputs()}, 'c');
        INDArray m = inputs.mask();
        // per-step labels are masked where the features are: padding is neither read nor predicted
        return new DataSet(inputs.features(), l, m, shape.stepLabels() ? m : null);
    }

    /** One-hot labels {@code [example, class, step]} of the class indices in {@code e.target()}. */
    private static void putStepLabels(Example e, int i, int classes, int maxSteps, float[] labels) {
        if (e.target().length != e.steps()) {
            throw new InputDataException("example " + e.entity() + "@" + e.position() + " has " + e.target().length
                    + " step labels for " + e.steps() + " steps");
        }
        for (int t = 0; t < e.steps(); t++) {
            int k = (int) e.target()[t];
            if (k < 0 || k >= classes || k != e.target()[t]) {
                throw new InputDataException("example " + e.entity() + "@" + e.position() + ", step " + t
                        + ": label " + e.target()[t] + " is not a class index below " + classes);
            }
            labels[(i * classes + k) * maxSteps + t] = 1f;
        }
    }

    /** Sends each batch, whole, to one writer; consecutive batches go to the same writer. */
    static final class BatchPartitioner extends Partitioner {
        private final int partitions;
        private final long totalBatches;
        private final int minibatchSize;
        private final long[] firstExample;
        private final long[] firstBatch;

        BatchPartitioner(int partitions, long totalBatches, int minibatchSize, long[] firstExample, long[] firstBatch) {
            this.partitions = partitions;
            this.totalBatches = totalBatches;
            this.minibatchSize = minibatchSize;
            this.firstExample = firstExample;
            this.firstBatch = firstBatch;
        }

        long batchOf(long position) {
            int split = 0;
            while (position >= firstExample[split + 1]) {
                split++;
            }
            return firstBatch[split] + (position - firstExample[split]) / minibatchSize;
        }

        @Override
        public int numPartitions() {
            return partitions;
        }

        @Override
        public int getPartition(Object key) {
            return (int) (batchOf((Long) key) * partitions / totalBatches);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof BatchPartitioner p && p.partitions == partitions && p.totalBatches == totalBatches;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(totalBatches) * 31 + partitions;
        }
    }
}
