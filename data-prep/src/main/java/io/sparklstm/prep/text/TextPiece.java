package io.sparklstm.prep.text;

import java.io.Serializable;

/**
 * One line of the input with its line end, placed in the text.
 *
 * @param fileIndex  index of the file in the input order
 * @param line       1-based line number in that file, for messages
 * @param start      position of the first character in the whole text (files in order), in code points
 * @param codePoints the characters (Unicode code points), with the newline that ended the line
 */
record TextPiece(int fileIndex, long line, long start, int[] codePoints) implements Serializable {

    long end() {
        return start + codePoints.length;
    }
}
