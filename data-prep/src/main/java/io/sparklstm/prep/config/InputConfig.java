package io.sparklstm.prep.config;

import java.io.Serializable;
import java.nio.charset.Charset;

/**
 * Where the raw data is and how its text is laid out.
 *
 * @param path      a file, directory or glob on any Hadoop filesystem ({@code file://}, {@code hdfs://},
 *                  {@code s3a://}, or a plain local path); required by the commands that read raw data
 * @param delimiter field separator of CSV tables (one character)
 * @param header    whether the first line of every file names the columns
 * @param encoding  character set of the files
 */
public record InputConfig(String path, String delimiter, boolean header, String encoding) implements Serializable {

    public InputConfig {
        path = path == null ? "" : path.trim();
        if (delimiter == null || delimiter.length() != 1) {
            throw Settings.invalid("input.delimiter", delimiter, "a single character");
        }
        try {
            Charset.forName(encoding);
        } catch (IllegalArgumentException e) {
            throw Settings.invalid("input.encoding", encoding, "a character set this JVM supports, e.g. UTF-8");
        }
    }

    public char delimiterChar() {
        return delimiter.charAt(0);
    }
}
