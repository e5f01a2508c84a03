package dev.logai.tools.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reading the Loghub-2k layout: raw lines as bytes, and columns of the structured CSV. */
public final class LoghubFiles {
    private LoghubFiles() {}

    /**
     * Exits with status 2 and {@link #notADirectory}'s message when {@code dir} is not a directory:
     * a wrong path is the commonest mistake, and a usage line alone does not say it.
     *
     * @param command the evaluation's name in {@code ./logai eval NAME}
     */
    public static void requireDirectory(String command, Path dir) {
        String problem = notADirectory(command, dir);
        if (problem != null) {
            System.err.println(problem);
            System.exit(2);
        }
    }

    /** The message for a {@code dir} that is not a directory (naming its absolute path and what it should hold), else null. */
    static String notADirectory(String command, Path dir) {
        if (Files.isDirectory(dir)) {
            return null;
        }
        return "logai eval " + command + ": no directory "
                + dir.toAbsolutePath().normalize()
                + " (give the folder of the Loghub-2k datasets: <Name>/<Name>_2k.log and"
                + " <Name>_2k.log_structured.csv)";
    }

    /** One dataset in the Loghub-2k layout: {@code <Name>/<Name>_2k.log} and its structured ground truth. */
    public record Dataset(String name, Path log, Path truth) {}

    /** The datasets under {@code dir}, by name; directories without both files are skipped. */
    public static List<Dataset> datasets(Path dir) throws IOException {
        List<Dataset> found = new java.util.ArrayList<>();
        try (var entries = java.nio.file.Files.list(dir)) {
            for (Path d : entries.sorted().toList()) {
                String name = d.getFileName().toString();
                Path log = d.resolve(name + "_2k.log");
                Path truth = d.resolve(name + "_2k.log_structured.csv");
                if (java.nio.file.Files.isRegularFile(log) && java.nio.file.Files.isRegularFile(truth)) {
                    found.add(new Dataset(name, log, truth));
                }
            }
        }
        return found;
    }

    /** The raw lines, split on LF, with a CR before it dropped; bytes as written. */
    public static List<byte[]> rawLines(Path log) throws IOException {
        byte[] all = Files.readAllBytes(log);
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= all.length; i++) {
            if (i == all.length || all[i] == '\n') {
                int end = i > start && all[i - 1 == -1 ? 0 : i - 1] == '\r' ? i - 1 : i;
                if (i < all.length || end > start) {
                    byte[] line = new byte[end - start];
                    System.arraycopy(all, start, line, 0, end - start);
                    lines.add(line);
                }
                start = i + 1;
            }
        }
        return lines;
    }

    /** One column of an RFC 4180 CSV with a header row (quoted fields, doubled quotes, embedded newlines). */
    public static List<String> column(Path csv, String name) throws IOException {
        String text = Files.readString(csv, StandardCharsets.UTF_8);
        List<List<String>> rows = parse(text);
        if (rows.isEmpty()) return List.of();
        int index = rows.get(0).indexOf(name);
        if (index < 0) throw new IOException(csv + " has no column " + name);
        List<String> values = new ArrayList<>();
        for (List<String> row : rows.subList(1, rows.size())) {
            values.add(index < row.size() ? row.get(index) : "");
        }
        return values;
    }

    static List<List<String>> parse(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        int i = 0;
        int n = text.length();
        if (n > 0 && text.charAt(0) == '\uFEFF') i = 1;
        for (; i < n; i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < n && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') i++;
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else {
                field.append(c);
            }
        }
        if (field.length() > 0 || !row.isEmpty()) {
            row.add(field.toString());
            rows.add(row);
        }
        return rows;
    }
}
