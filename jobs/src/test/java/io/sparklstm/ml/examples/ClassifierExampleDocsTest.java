package io.sparklstm.ml.examples;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java examples of README.md and docs/ml.md are the code of {@link ClassifierExample}, which
 * {@code spark-lstm ml-example} runs: each document's block is the class's text between its marker comments (other
 * marker lines left out, indentation removed), so neither document can drift from code that compiles and runs.
 */
class ClassifierExampleDocsTest {

    private static final Pattern MARKER = Pattern.compile("\\s*// (begin|end) \\S+ example");

    private static Path root() {
        String root = System.getProperty("sparklstm.repo.root");
        return root == null ? Paths.get("..").toAbsolutePath().normalize() : Paths.get(root);
    }

    private static String source() throws IOException {
        return Files.readString(root().resolve("jobs/src/main/java/io/sparklstm/ml/examples/ClassifierExample.java"));
    }

    /** The class's lines between {@code // begin NAME example} and {@code // end NAME example}, de-indented. */
    static String between(String source, String name) {
        List<String> lines = source.lines().toList();
        int begin = lines.stream().map(String::strip).toList().indexOf("// begin " + name + " example");
        int end = lines.stream().map(String::strip).toList().indexOf("// end " + name + " example");
        assertTrue(begin >= 0 && end > begin, "markers of " + name + " in ClassifierExample.java");
        List<String> body = lines.subList(begin + 1, end).stream().filter(l -> !MARKER.matcher(l).matches()).toList();
        int indent = body.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length())
                .min().orElse(0);
        return String.join("\n", body.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).toList()).strip();
    }

    /** The first {@code ```java} block after {@code heading} in a Markdown file. */
    static String javaBlock(Path markdown, String heading) throws IOException {
        String text = Files.readString(markdown);
        int at = text.indexOf(heading);
        assertTrue(at >= 0, heading + " in " + markdown);
        int start = text.indexOf("```java\n", at) + "```java\n".length();
        int end = text.indexOf("\n```", start);
        return text.substring(start, end).strip();
    }

    @Test
    void theReadmesSparkMlExampleIsTheExampleClasssCode() throws IOException {
        assertEquals(between(source(), "README.md"), javaBlock(root().resolve("README.md"),
                "## From a Spark ML pipeline"));
    }

    @Test
    void theCompleteExampleOfDocsMlIsTheWholeExampleClass() throws IOException {
        String docs = between(source(), "docs/ml.md");
        assertTrue(docs.startsWith("import ") && docs.contains("public final class ClassifierExample"), docs);
        assertEquals(docs, javaBlock(root().resolve("docs/ml.md"), "## A complete Java example"));
    }

    @Test
    void theComparedTextLeavesOutOtherMarkersAndTheIndentation() {
        String source = "x\n    // begin R example\n    a(\n        b);\n    // begin D example\n    c();\n"
                + "    // end R example\n";
        assertEquals("a(\n    b);\nc();", between(source, "R"));
    }
}
