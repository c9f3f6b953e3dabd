package io.sparklstm.prep.uea;

import io.sparklstm.prep.io.InputDataException;
import io.sparklstm.prep.io.TextLines;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The header of one {@code .ts} file: the {@code @} lines before {@code @data} (comments start with
 * {@code #}). Read on the driver, where it is small; the data lines after it are read with Spark.
 *
 * @param file         the file, for messages
 * @param problemName  {@code @problemName}, or empty
 * @param dimensions   channels of every case ({@code @dimensions}; 1 for a univariate file without it)
 * @param classNames   {@code @classLabel true ...}: the class of index i is the i-th label listed
 * @param missing      {@code @missing}: whether the file declares missing values ({@code ?})
 * @param seriesLength {@code @seriesLength} of a file with {@code @equalLength true}; 0 when not given
 * @param dataLine     1-based line number of {@code @data}; cases are on the lines after it
 */
public record TsHeader(String file, String problemName, int dimensions, List<String> classNames, boolean missing,
                       int seriesLength, long dataLine) implements Serializable {

    private static final Logger LOG = LoggerFactory.getLogger(TsHeader.class);

    public TsHeader {
        classNames = List.copyOf(classNames);
    }

    /** Reads the header of a file on any Hadoop filesystem, stopping at {@code @data}. */
    public static TsHeader read(String file, Configuration conf, Charset charset) {
        Path path = new Path(file);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(path.getFileSystem(conf).open(path),
                charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)))) {
            return parse(file, reader);
        } catch (CharacterCodingException e) {
            throw new InputDataException(file + ": the header is not valid " + charset.name()
                    + " text (set input.encoding to the file's character set)", e);
        } catch (IOException e) {
            throw new InputDataException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Parses header lines from {@code reader} up to and including {@code @data}; reads nothing after it. */
    public static TsHeader parse(String file, BufferedReader reader) throws IOException {
        String problemName = "";
        Integer dimensions = null;
        Boolean univariate = null;
        boolean missing = false;
        boolean equalLength = false;
        int seriesLength = 0;
        List<String> classNames = null;
        long number = 0;
        String line;
        while ((line = reader.readLine()) != null) {
            number++;
            if (number == 1) {
                line = TextLines.withoutByteOrderMark(line);
            }
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            if (!text.startsWith("@")) {
                throw InputDataException.atLine(file, number, "a data line before @data (a .ts file has a header"
                        + " of @ lines, then @data, then one case per line)", line);
            }
            String[] words = text.split("\\s+");
            String tag = words[0].substring(1).toLowerCase(Locale.ROOT);
            switch (tag) {
                case "data" -> {
                    if (classNames == null) {
                        throw new InputDataException(file + ": the header has no '@classLabel true <classes>'"
                                + " line: dataset.kind = ts needs labelled cases");
                    }
                    if (dimensions == null) {
                        if (Boolean.TRUE.equals(univariate)) {
                            dimensions = 1;
                        } else {
                            throw new InputDataException(file + ": the header has no @dimensions line (needed"
                                    + " unless @univariate true)");
                        }
                    }
                    if (Boolean.TRUE.equals(univariate) && dimensions != 1) {
                        throw InputDataException.atLine(file, number, "@univariate true with @dimensions "
                                + dimensions, line);
                    }
                    return new TsHeader(file, problemName, dimensions, classNames, missing,
                            equalLength ? seriesLength : 0, number);
                }
                case "problemname" -> problemName = words.length > 1 ? text.substring(words[0].length()).strip() : "";
                case "timestamps" -> {
                    if (flag(file, number, line, words)) {
                        throw InputDataException.atLine(file, number, "@timeStamps true is not supported by"
                                + " dataset.kind = ts (values must be plain numbers)", line);
                    }
                }
                case "missing" -> missing = flag(file, number, line, words);
                case "univariate" -> univariate = flag(file, number, line, words);
                case "equallength" -> equalLength = flag(file, number, line, words);
                case "dimensions" -> dimensions = positive(file, number, line, words);
                case "serieslength" -> seriesLength = positive(file, number, line, words);
                case "targetlabel" -> {
                    if (flag(file, number, line, words)) {
                        throw InputDataException.atLine(file, number, "@targetLabel true (regression targets)"
                                + " is not supported: dataset.kind = ts is for classification", line);
                    }
                }
                case "classlabel" -> {
                    if (words.length < 2 || !words[1].equalsIgnoreCase("true")) {
                        throw InputDataException.atLine(file, number, "expected '@classLabel true <classes>':"
                                + " dataset.kind = ts needs labelled cases", line);
                    }
                    classNames = new ArrayList<>();
                    Set<String> seen = new HashSet<>();
                    for (int i = 2; i < words.length; i++) {
                        if (!seen.add(words[i])) {
                            throw InputDataException.atLine(file, number, "class '" + words[i]
                                    + "' is listed twice", line);
                        }
                        classNames.add(words[i]);
                    }
                    if (classNames.size() < 2) {
                        throw InputDataException.atLine(file, number, "@classLabel true lists "
                                + classNames.size() + " class(es); classification needs at least two", line);
                    }
                }
                default -> LOG.warn("{}:{}: unknown header line {} ignored", file, number, words[0]);
            }
        }
        throw new InputDataException(file + ": no @data line (read " + number + " lines): not a .ts file, or its"
                + " header is incomplete");
    }

    private static boolean flag(String file, long number, String line, String[] words) {
        if (words.length == 2 && (words[1].equalsIgnoreCase("true") || words[1].equalsIgnoreCase("false"))) {
            return words[1].equalsIgnoreCase("true");
        }
        throw InputDataException.atLine(file, number, "expected " + words[0] + " true or " + words[0] + " false",
                line);
    }

    private static int positive(String file, long number, String line, String[] words) {
        try {
            if (words.length != 2) throw new NumberFormatException();
            int n = Integer.parseInt(words[1]);
            if (n < 1) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw InputDataException.atLine(file, number, "expected " + words[0] + " <positive integer>", line);
        }
    }

    /**
     * Checks that another file of the same dataset (e.g. the test file) has the same channels and classes.
     */
    public void requireCompatible(TsHeader other) {
        if (other.dimensions != dimensions) {
            throw new InputDataException(other.file + ": @dimensions " + other.dimensions + " differs from the "
                    + dimensions + " of " + file + " (all files of a dataset must have the same channels)");
        }
        if (!other.classNames.equals(classNames)) {
            throw new InputDataException(other.file + ": @classLabel " + other.classNames + " differs from "
                    + classNames + " of " + file + " (all files of a dataset must list the same classes, in the"
                    + " same order)");
        }
    }
}
