package io.sparklstm.tests;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparklstm.jobs.cli.Main;
import io.sparklstm.model.data.DatasetManifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A character language model end to end through the command line: generated text prepared by the shipped
 * tinyshakespeare config (only the path and sizes overridden), trained, scored in nats per character, then
 * sampled without Spark.
 */
class TextPipelineIT {

    private static final List<String> WORDS = List.of("the", "king", "queen", "my", "lord", "shall", "be", "and",
            "to", "of", "good", "night", "sweet", "prince", "what", "is", "here");

    /** Lines of random words, each line "SPEAKER: words.": structure a small LSTM picks up in an epoch. */
    static String play(int lines, long seed) {
        Random r = new Random(seed);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            s.append(r.nextBoolean() ? "KING:" : "QUEEN:");
            int words = 3 + r.nextInt(6);
            for (int w = 0; w < words; w++) s.append(' ').append(WORDS.get(r.nextInt(WORDS.size())));
            s.append(".\n");
        }
        return s.toString();
    }

    @Test
    void aCharacterModelTrainsBelowAUniformGuessAndSamplesFromItsVocabulary(@TempDir Path dir) throws IOException {
        Path text = Files.writeString(dir.resolve("play.txt"), play(700, 11), StandardCharsets.UTF_8);
        Path out = dir.resolve("lm");
        int code = Main.execute(Repo.args("pipeline",
                "--conf", Repo.conf("datasets/tinyshakespeare.conf").toString(),
                "--set", "input.path=" + text,
                "--set", "text.sequenceSteps=50",
                "--set", "prepare.minibatchSize=16",
                "--set", "model.layers=[32]",
                "--set", "model.tbpttSteps=25",
                "--set", "model.learningRate=0.01",
                "--set", "training.epochs=2",
                "--set", "training.averagingFrequency=2",
                "--output", out.toString()));
        assertEquals(0, code);

        JsonNode manifest = Repo.json(out.resolve("data").resolve(DatasetManifest.FILE_NAME));
        assertEquals("text", manifest.get("kind").asText());
        Set<String> vocabulary = new HashSet<>();
        manifest.get("classNames").forEach(n -> vocabulary.add(n.asText()));
        int classes = vocabulary.size();
        assertTrue(vocabulary.contains("\n") && vocabulary.contains("K"), vocabulary.toString());

        JsonNode summary = Repo.json(out.resolve("run/summary.json"));
        for (String split : List.of("validation", "test")) {
            JsonNode m = summary.get(split);
            double loss = m.get("loss").asDouble();
            // nats per character: a uniform guess over the vocabulary scores ln(classes)
            assertTrue(Double.isFinite(loss) && loss < Math.log(classes) - 0.5,
                    split + " loss " + loss + " against ln(" + classes + ") = " + Math.log(classes));
            assertEquals(manifest.at("/counts/predictedCharacters." + split).asLong(), m.get("steps").asLong());
            assertEquals(Math.exp(loss), m.get("perplexity").asDouble(), 1e-3 * m.get("perplexity").asDouble());
        }
        assertTrue(Files.readString(out.resolve("run/report.html")).contains("perplexity"));

        String sample = sample("--model", out.resolve("run").toString(), "--prime", "KING:", "--length", "200",
                "--temperature", "0.8", "--seed", "3");
        assertTrue(sample.startsWith("KING:"), sample);
        String generated = sample.substring("KING:".length(), sample.length() - System.lineSeparator().length());
        assertEquals(200, generated.codePointCount(0, generated.length()), generated);
        generated.codePoints().forEach(c -> assertTrue(vocabulary.contains(new String(Character.toChars(c))),
                "sampled character U+" + Integer.toHexString(c) + " is not in the vocabulary"));
        assertEquals(sample, sample("--model", out.resolve("run/model").toString(), "--prime", "KING:",
                "--length", "200", "--temperature", "0.8", "--seed", "3"), "the same seed gives the same text");

        StringWriter err = new StringWriter();
        int refused = Main.execute(new PrintWriter(err, true), "sample", "--model", out.resolve("run").toString(),
                "--prime", "KING~");
        assertEquals(2, refused, err.toString());
        assertTrue(err.toString().contains("'~' (U+007E) at position 5"), err.toString());
    }

    private static String sample(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            String[] command = new String[args.length + 1];
            command[0] = "sample";
            System.arraycopy(args, 0, command, 1, args.length);
            assertEquals(0, Main.execute(command));
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
