package dev.logai.tools.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./logai upload [--source NAME|ID] FILE...}: uploads each file through LogAi's upload flow
 * (upload-url, PUT to the object store, register-upload) with a progress bar (bytes, rate, ETA),
 * then follows its processing with a second bar, and prints what was found: lines, time range,
 * windows, anomalies and the summaries' titles.
 *
 * <p>Settings from the environment ({@code ./logai} sources {@code .logai/local.env} unless {@code
 * LOGAI_API_URL} is set): {@code LOGAI_API_URL}, {@code LOGAI_API_KEY}, {@code LOGAI_GATEWAY_URL}
 * (default: the API's URL), {@code LOGAI_SOURCE_ID} (the source when {@code --source} is not given).
 * Exit status 0 when every file was processed, 1 otherwise, 2 for bad usage.
 */
public final class UploadCommand {
    private static final PrintStream ERR = System.err;

    private UploadCommand() {}

    public static void main(String[] args) throws Exception {
        String source = System.getenv("LOGAI_SOURCE_ID");
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--source") && i + 1 < args.length) {
                source = args[++i];
            } else if (args[i].startsWith("--")) {
                usage();
            } else {
                files.add(Path.of(args[i]));
            }
        }
        String api = System.getenv("LOGAI_API_URL");
        String key = System.getenv("LOGAI_API_KEY");
        if (files.isEmpty() || api == null || key == null || source == null) {
            usage();
        }
        String gateway = System.getenv().getOrDefault("LOGAI_GATEWAY_URL", api);
        UploadClient client = new UploadClient(gateway, api, key);
        boolean allProcessed = true;
        try {
            String sourceId = client.sourceId(source);
            for (Path file : files) {
                allProcessed &= uploadOne(client, file, sourceId);
            }
        } catch (UploadClient.UploadException e) {
            ERR.println("logai upload: " + e.getMessage());
            System.exit(1);
        }
        System.exit(allProcessed ? 0 : 1);
    }

    private static boolean uploadOne(UploadClient client, Path path, String sourceId)
            throws IOException, InterruptedException {
        System.out.println(path + ":");
        UploadClient.FileFacts file;
        try {
            file = UploadClient.FileFacts.of(path);
        } catch (IOException e) {
            ERR.println("  " + e.getMessage());
            return false;
        }
        Bar put = new Bar("upload ", file.size());
        AtomicLong sent = new AtomicLong();
        JsonNode url;
        try {
            url = client.put(file, sourceId, n -> {
                sent.set(n);
                put.show(n, "");
            });
            put.done(file.size(), "");
            JsonNode registered = client.register(file, url, sourceId);
            String id = registered.get("upload_id").asText();
            Bar processing = new Bar("process", file.size());
            JsonNode detail;
            while (true) {
                detail = client.upload(id);
                JsonNode u = detail.get("upload");
                String status = u.get("status").asText();
                processing.show(
                        u.get("bytes_read").asLong(), u.get("line_count").asLong() + " lines");
                if (status.equals("processed") || status.equals("failed")) {
                    processing.done(
                            u.get("bytes_read").asLong(), u.get("line_count").asLong() + " lines");
                    break;
                }
                Thread.sleep(500);
            }
            // Windows complete once the source's clock passes them (its idleness after the last line).
            for (int i = 0; i < 120 && !settled(detail); i++) {
                Thread.sleep(500);
                detail = client.upload(id);
            }
            // Anomalies and summaries follow the final windows: wait until two looks 2 s apart agree.
            for (int i = 0; i < 10 && settled(detail); i++) {
                Thread.sleep(2000);
                JsonNode again = client.upload(id);
                boolean same = again.at("/results/anomalies").asLong()
                                == detail.at("/results/anomalies").asLong()
                        && again.at("/results/summaries").size()
                                == detail.at("/results/summaries").size();
                detail = again;
                if (same) break;
            }
            return report(id, detail, sourceId);
        } catch (UploadClient.UploadException e) {
            put.done(sent.get(), "");
            ERR.println("  " + e.getMessage());
            return false;
        }
    }

    private static boolean settled(JsonNode detail) {
        JsonNode r = detail.get("results");
        return detail.at("/upload/status").asText().equals("failed")
                || (r.get("windows").asLong() > 0
                        && r.get("final_windows").asLong() == r.get("windows").asLong());
    }

    private static boolean report(String id, JsonNode detail, String sourceId) {
        JsonNode u = detail.get("upload");
        JsonNode r = detail.get("results");
        System.out.printf(
                "  upload %s %s: %d lines (%d truncated) in %d chunks, %s … %s%n",
                id,
                u.get("status").asText(),
                u.get("line_count").asLong(),
                u.get("truncated_lines").asLong(),
                detail.get("chunk_count").asLong(),
                u.path("ts_start").asText("-"),
                u.path("ts_end").asText("-"));
        if (u.get("status").asText().equals("failed")) {
            System.out.println("  failed at byte " + u.path("failure_offset").asText("?") + ": "
                    + u.path("failure_reason").asText());
            return false;
        }
        System.out.printf(
                "  %d windows (%d final), %d anomalies, %d summaries%n",
                r.get("windows").asLong(),
                r.get("final_windows").asLong(),
                r.get("anomalies").asLong(),
                r.get("summaries").size());
        for (JsonNode s : r.get("summaries")) {
            System.out.printf(
                    "    [%s] %s (%s … %s, %s)%n",
                    s.get("severity").asText(),
                    s.get("title").asText(),
                    s.path("window_start").asText(),
                    s.path("window_end").asText(),
                    s.path("llm_model").asText());
        }
        if (u.get("line_count").asLong() > 0 && r.path("window_lines").asLong() == 0) {
            System.out.println("  none of these lines was counted: they are older than the source's allowed lateness"
                    + " behind its newest line (see late_lines in GET /v1/sources/" + sourceId + ")."
                    + " Upload old files to a source of their own (POST /v1/sources).");
            return false;
        }
        if (r.get("final_windows").asLong() < r.get("windows").asLong()) {
            System.out.println("  windows still open: more anomalies and summaries may follow"
                    + " (GET /v1/summaries?source_id=" + sourceId + ").");
        }
        return true;
    }

    private static void usage() {
        ERR.println("usage: ./logai upload [--source NAME|ID] FILE...\n"
                + "  Needs LOGAI_API_URL and LOGAI_API_KEY (from .logai/local.env after ./logai up), LOGAI_GATEWAY_URL"
                + " when the gateway has another address, and a source: --source or LOGAI_SOURCE_ID.");
        System.exit(2);
    }

    /** A one-line progress bar on stderr: bytes, percent, rate and ETA. */
    static final class Bar {
        private final String label;
        private final long total;
        private final long started = System.nanoTime();
        private long lastDrawn;

        Bar(String label, long total) {
            this.label = label;
            this.total = Math.max(1, total);
        }

        void show(long done, String extra) {
            long now = System.nanoTime();
            if (now - lastDrawn < 200_000_000L) return;
            lastDrawn = now;
            ERR.print("\r" + line(done, extra, now));
        }

        void done(long done, String extra) {
            ERR.println("\r" + line(done, extra, System.nanoTime()));
        }

        String line(long done, String extra, long now) {
            double seconds = Math.max(1e-3, (now - started) / 1e9);
            double rate = done / seconds;
            int width = 30;
            int filled = (int) Math.min(width, width * done / total);
            String eta = rate > 0 && done < total ? String.format(Locale.ROOT, "%.0fs", (total - done) / rate) : "-";
            return String.format(
                    Locale.ROOT,
                    "  %s [%s%s] %3d%% %s/%s %s/s ETA %s %s   ",
                    label,
                    "#".repeat(filled),
                    ".".repeat(width - filled),
                    (int) Math.min(100, 100 * done / total),
                    bytes(done),
                    bytes(total),
                    bytes((long) rate),
                    eta,
                    extra);
        }

        static String bytes(long n) {
            if (n < 1024) return n + " B";
            if (n < 1024 * 1024) return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
            if (n < 1024L * 1024 * 1024) return String.format(Locale.ROOT, "%.1f MiB", n / 1048576.0);
            return String.format(Locale.ROOT, "%.2f GiB", n / 1073741824.0);
        }
    }
}
