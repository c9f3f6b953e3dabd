package io.sparklstm.jobs.train;

import io.sparklstm.prep.io.InputDataException;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.common.loader.Source;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MinibatchLoaderTest {

    private static Source source(String path) {
        return new Source() {
            @Override
            public InputStream getInputStream() throws IOException {
                return Files.newInputStream(Path.of(java.net.URI.create(path)));
            }

            @Override
            public String getPath() {
                return path;
            }
        };
    }

    /** Five sequences of 2 channels and 4 steps, the last steps masked off some, with 3-class labels. */
    private static String write(Path dir) throws IOException {
        Nd4j.getRandom().setSeed(7);
        DataSet ds = new DataSet(Nd4j.rand(DataType.FLOAT, 5, 2, 4), Nd4j.eye(3).getRows(0, 1, 2, 0, 1)
                .castTo(DataType.FLOAT), Nd4j.ones(DataType.FLOAT, 5, 4), null);
        ds.getFeaturesMaskArray().putScalar(3, 3, 0);
        Path file = dir.resolve("batch-000000.bin");
        try (OutputStream out = Files.newOutputStream(file)) {
            ds.save(out);
        }
        return file.toUri().toString();
    }

    @Test
    void aSlicePathLoadsThoseExamplesOfTheFileWithTheirMasks(@TempDir Path dir) throws IOException {
        String file = write(dir);
        MinibatchLoader loader = new MinibatchLoader(Configuration::new);
        DataSet whole = loader.load(source(file));
        DataSet slice = loader.load(source(MinibatchLoader.slicePath(file, 2, 5)));
        assertEquals(3, slice.numExamples());
        assertEquals(whole.getFeatures().get(NDArrayIndex.interval(2, 5)), slice.getFeatures());
        assertEquals(whole.getLabels().get(NDArrayIndex.interval(2, 5)), slice.getLabels());
        assertEquals(whole.getFeaturesMaskArray().get(NDArrayIndex.interval(2, 5)), slice.getFeaturesMaskArray());
        assertEquals(0.0, slice.getFeaturesMaskArray().getDouble(1, 3));
    }

    @Test
    void aSliceBeyondTheFileIsAnInputErrorNamingIt(@TempDir Path dir) throws IOException {
        String file = write(dir);
        InputDataException e = assertThrows(InputDataException.class,
                () -> new MinibatchLoader(Configuration::new).load(source(MinibatchLoader.slicePath(file, 4, 9))));
        assertTrue(e.getMessage().startsWith(file + ": the minibatch file holds 5 examples"), e.getMessage());
    }

    /**
     * A whole file is opened through the loader's own Hadoop file system, not through dl4j-spark's source (which
     * opens every file with a 4 MiB buffer): the same examples, and the source's stream is never asked for.
     */
    @Test
    void aWholeFileIsReadWithoutTheSourcesStream(@TempDir Path dir) throws IOException {
        String file = write(dir);
        Source refusing = new Source() {
            @Override
            public InputStream getInputStream() {
                throw new AssertionError("the source's stream was opened");
            }

            @Override
            public String getPath() {
                return file;
            }
        };
        DataSet read = new MinibatchLoader(Configuration::new).load(refusing);
        DataSet written = new DataSet();
        written.load(Path.of(java.net.URI.create(file)).toFile());
        assertEquals(written.getFeatures(), read.getFeatures());
        assertEquals(written.getLabels(), read.getLabels());
        assertEquals(written.getFeaturesMaskArray(), read.getFeaturesMaskArray());
        assertEquals(5, read.numExamples());
    }
}
