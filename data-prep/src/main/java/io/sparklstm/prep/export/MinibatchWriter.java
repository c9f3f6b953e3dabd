package io.sparklstm.prep.export;

import io.sparklstm.prep.io.HadoopConf;
import io.sparklstm.prep.io.InOrder;
import io.sparklstm.prep.io.InputDataException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import scala.Tuple2;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IntSummaryStatistics;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Writes examples as DL4J {@link DataSet} minibatch files, {@code <split>/batch-NNNNNN.bin} under the
 * output directory, from the executors. Examples are put in a total order (see {@link ExampleOrder}),
 * numbered, and grouped into consecutive batches of {@code minibatchSize}, so the same input always gives
 * the same files. Only the list of written files comes back to the driver.
 */
public final class MinibatchWriter implements Serializable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MinibatchWriter.class);

    public static final List<String> SPLIT_NAMES = List.of("train", "validation", "test");
    /** Examples' worth of data a writer takes at most, unless there are fewer writers than partitions. */
    private static final long WRITER_BYTES = 64L << 20;

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

    /**
     * Writes all splits; returns the files written, in split and batch order. The order keys alone (a few dozen
     * bytes per example) are sorted first; their ranks give the key at which each writer's first batch begins,
     * so the examples themselves are shuffled once, each straight to the writer of its batch, and sorted there.
     *
     * @param partitions the least number of writers (more when the examples exceed about 64 MB per writer)
     * @param duplicates told, before any file is written, which contents occur in two splits; it may stop the
     *                   writing by throwing
     */
    public List<BatchFile> write(JavaRDD<Example> examples, int partitions,
                                 Consumer<CrossSplitDuplicates.Found> duplicates) {
        examples.persist(StorageLevel.MEMORY_AND_DISK_SER());
        long seedForOrder = seed;
        LongAccumulator values = examples.context().longAccumulator("exampleValues");
        JavaRDD<CrossSplitDuplicates.Key> keys = examples.map(e -> {
            values.add(e.features().length + e.target().length);
            return CrossSplitDuplicates.Key.of(e, seedForOrder);
        });
        keys.persist(StorageLevel.MEMORY_AND_DISK_SER());
        JavaRDD<ExampleOrder> sorted = keys.map(CrossSplitDuplicates.Key::order)
                .sortBy(k -> k, true, Math.max(1, partitions));
        sorted.persist(StorageLevel.MEMORY_AND_DISK_SER());
        try {
            int splitCount = SPLIT_NAMES.size();
            // examples per split in each sorted partition; the partitions hold consecutive ranks
            List<long[]> partitionCounts = InOrder.perPartition(sorted, (p, part) -> {
                long[] counts = new long[splitCount];
                part.forEachRemaining(k -> counts[k.split()]++);
                return counts;
            });
            long[] firstExample = new long[splitCount + 1];
            long[] firstBatch = new long[splitCount + 1];
            for (int s = 0; s < splitCount; s++) {
                long n = 0;
                for (long[] c : partitionCounts) n += c[s];
                firstExample[s + 1] = firstExample[s] + n;
                firstBatch[s + 1] = firstBatch[s] + (n + shape.minibatchSize() - 1) / shape.minibatchSize();
            }
            long totalBatches = firstBatch[splitCount];
            if (totalBatches == 0) {
                return List.of();
            }
            long checkStart = System.nanoTime();
            CrossSplitDuplicates.Found found = CrossSplitDuplicates.find(keys);
            LOG.info("prepare: examples with the same content in two splits: {} (checked in {} s)", found.total(),
                    String.format(Locale.ROOT, "%.1f", (System.nanoTime() - checkStart) / 1e9));
            duplicates.accept(found);
            long bytes = values.value() * Float.BYTES;
            int writers = (int) Math.max(1, Math.min(totalBatches,
                    Math.max(partitions, (bytes + WRITER_BYTES - 1) / WRITER_BYTES)));
            BatchLayout batches = new BatchLayout(writers, totalBatches, shape.minibatchSize(),
                    firstExample, firstBatch);
            long[] partitionStart = new long[partitionCounts.size()];
            for (int p = 1; p < partitionStart.length; p++) {
                long n = 0;
                for (int s = 0; s < splitCount; s++) n += partitionCounts.get(p - 1)[s];
                partitionStart[p] = partitionStart[p - 1] + n;
            }
            long[] writerStart = batches.firstRanks();
            ExampleOrder[] boundaries = boundaryKeys(sorted, partitionStart, writerStart);
            WriterPartitioner partitioner = new WriterPartitioner(boundaries);
            List<BatchFile> written = new ArrayList<>(examples
                    .mapToPair(e -> new Tuple2<>(ExampleOrder.of(e, seedForOrder), e))
                    .repartitionAndSortWithinPartitions(partitioner, Comparator.<ExampleOrder>naturalOrder())
                    .mapPartitionsWithIndex((w, part) -> writePartition(part, writerStart[w], batches), true)
                    .collect());
            written.sort(Comparator.comparingInt(BatchFile::split).thenComparingLong(BatchFile::index));
            return written;
        } finally {
            sorted.unpersist(false);
            keys.unpersist(false);
            examples.unpersist(false);
        }
    }

    /** The keys at the given ranks of the sorted keys (all but the first rank, which begins at no key). */
    private static ExampleOrder[] boundaryKeys(JavaRDD<ExampleOrder> sorted, long[] partitionStart, long[] ranks) {
        long[] wanted = java.util.Arrays.copyOfRange(ranks, 1, ranks.length);
        List<Tuple2<Long, ExampleOrder>> found = new ArrayList<>(sorted.mapPartitionsWithIndex((p, part) -> {
            List<Tuple2<Long, ExampleOrder>> out = new ArrayList<>();
            long rank = partitionStart[p];
            int next = java.util.Arrays.binarySearch(wanted, rank);
            if (next < 0) next = -next - 1;
            while (part.hasNext() && next < wanted.length) {
                ExampleOrder key = part.next();
                if (rank == wanted[next]) {
                    out.add(new Tuple2<>(rank, key));
                    next++;
                }
                rank++;
            }
            return out.iterator();
        }, true).collect());
        found.sort(Comparator.comparingLong(Tuple2::_1));
        if (found.size() != wanted.length) {
            throw new IllegalStateException("found " + found.size() + " of " + wanted.length + " writer boundaries");
        }
        return found.stream().map(Tuple2::_2).toArray(ExampleOrder[]::new);
    }

    /** Writes a writer's examples, sorted and starting at rank {@code rank}, as whole batches. */
    private Iterator<BatchFile> writePartition(Iterator<Tuple2<ExampleOrder, Example>> records, long rank,
                                               BatchLayout batches) throws IOException {
        List<BatchFile> files = new ArrayList<>();
        List<Example> batch = new ArrayList<>(shape.minibatchSize());
        long currentBatch = -1;
        while (records.hasNext()) {
            Example example = records.next()._2();
            long batchId = batches.batchOf(rank++);
            if (batchId != currentBatch && !batch.isEmpty()) {
                files.add(writeBatch(batch, currentBatch, batches));
                batch.clear();
            }
            currentBatch = batchId;
            batch.add(example);
        }
        if (!batch.isEmpty()) {
            files.add(writeBatch(batch, currentBatch, batches));
        }
        return files.iterator();
    }

    private BatchFile writeBatch(List<Example> batch, long globalBatch, BatchLayout batches) throws IOException {
        int split = batch.get(0).split();
        long index = globalBatch - batches.firstBatch[split];
        String relative = String.format(Locale.ROOT, "%s/batch-%06d.bin", SPLIT_NAMES.get(split), index);
        DataSet dataSet = toDataSet(batch, shape);
        Path path = new Path(outputDir, relative);
        FileSystem fs = path.getFileSystem(hadoopConf.get());
        // DataSet.save writes value by value; unbuffered, each reached the file system on its own
        try (java.io.OutputStream out = new java.io.BufferedOutputStream(fs.create(path, true), 1 << 20)) {
            dataSet.save(out);
        }
        IntSummaryStatistics steps = batch.stream().mapToInt(Example::steps).summaryStatistics();
        return new BatchFile(split, index, relative, batch.size(), fs.getFileStatus(path).getLen(), steps.getMin(),
                steps.getMax(), steps.getSum(), dataSet.getFeaturesMaskArray() != null);
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

    /** Which batch each rank falls in, and which consecutive batches each writer takes. */
    static final class BatchLayout implements Serializable {
        private final int writers;
        private final long totalBatches;
        private final int minibatchSize;
        private final long[] firstExample;
        private final long[] firstBatch;

        BatchLayout(int writers, long totalBatches, int minibatchSize, long[] firstExample, long[] firstBatch) {
            this.writers = writers;
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

        /** The writer of a batch: writers take equal runs of consecutive batches. */
        int writerOf(long batch) {
            return (int) (batch * writers / totalBatches);
        }

        /** The rank of each writer's first example. */
        long[] firstRanks() {
            long[] ranks = new long[writers];
            for (int w = 0; w < writers; w++) {
                // the first batch b with writerOf(b) == w
                long b = (w * totalBatches + writers - 1) / writers;
                int split = 0;
                while (b >= firstBatch[split + 1]) {
                    split++;
                }
                ranks[w] = firstExample[split] + (b - firstBatch[split]) * minibatchSize;
            }
            return ranks;
        }
    }

    /** Sends an example to the writer whose range of keys holds it: writer w from boundary w - 1 on. */
    static final class WriterPartitioner extends Partitioner {
        private final ExampleOrder[] boundaries;

        WriterPartitioner(ExampleOrder[] boundaries) {
            this.boundaries = boundaries;
        }

        @Override
        public int numPartitions() {
            return boundaries.length + 1;
        }

        @Override
        public int getPartition(Object key) {
            int i = java.util.Arrays.binarySearch(boundaries, (ExampleOrder) key);
            return i >= 0 ? i + 1 : -i - 1;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof WriterPartitioner p && java.util.Arrays.equals(p.boundaries, boundaries);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(boundaries);
        }
    }
}
