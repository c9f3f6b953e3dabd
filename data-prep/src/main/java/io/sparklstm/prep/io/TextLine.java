package io.sparklstm.prep.io;

import java.io.Serializable;

/**
 * One line of one input file.
 *
 * @param fileIndex index of the file in the {@link InputFiles} order
 * @param file      the file, for messages
 * @param number    1-based line number in the file
 * @param text      the line without its terminator
 */
public record TextLine(int fileIndex, String file, long number, String text) implements Serializable {

    public boolean isBlank() {
        return text.isBlank();
    }
}
