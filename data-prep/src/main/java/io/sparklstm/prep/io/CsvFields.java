package io.sparklstm.prep.io;

import java.util.ArrayList;
import java.util.List;

/** Splits one CSV line into fields: a delimiter character, double quotes around fields that contain it. */
public final class CsvFields {

    private CsvFields() {
    }

    public static List<String> split(String line, char delimiter) {
        if (line.indexOf('"') < 0) return splitUnquoted(line, delimiter);
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == '"' && field.isEmpty()) {
                quoted = true;
            } else if (c == delimiter) {
                fields.add(field.toString().trim());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString().trim());
        return fields;
    }

    /** A line without quotes: the text between delimiters, trimmed, as the general loop would give it. */
    private static List<String> splitUnquoted(String line, char delimiter) {
        List<String> fields = new ArrayList<>();
        int start = 0;
        int end;
        while ((end = line.indexOf(delimiter, start)) >= 0) {
            fields.add(line.substring(start, end).trim());
            start = end + 1;
        }
        fields.add(line.substring(start).trim());
        return fields;
    }
}
