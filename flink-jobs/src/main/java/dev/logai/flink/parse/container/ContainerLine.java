package dev.logai.flink.parse.container;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.logai.flink.parse.text.TimestampLayouts;
import java.io.IOException;

/**
 * A line as a container runtime writes it to the node's disk, unwrapped: the runtime's time, the
 * stream (stdout/stderr), whether the runtime cut the application's line (a partial chunk), and
 * the application's own text. Two runtime formats, each identifying itself line by line:
 *
 * <ul>
 *   <li><b>CRI</b> (containerd, CRI-O; what every Kubernetes node writes under
 *       {@code /var/log/pods}): {@code <RFC3339Nano> <stdout|stderr> <P|F>[:tags] <content>}, where
 *       {@code P} marks a partial chunk cut at an arbitrary byte (16 KiB by default) and {@code F}
 *       the chunk that ends the line. Source: the Kubernetes CRI logging design,
 *       kubernetes/design-proposals-archive node/kubelet-cri-logging.md, and containerd's
 *       {@code pkg/cri/io/logger.go}.
 *   <li><b>Docker json-file</b>: {@code {"log":"<content>\n","stream":"stdout","time":"<RFC3339Nano>"}}
 *       (optionally {@code "attrs":{…}}); a {@code log} value without the trailing newline is a
 *       partial chunk (Docker cuts lines at 16 KiB). Source: moby's
 *       {@code daemon/logger/jsonfilelog}.
 * </ul>
 *
 * <p>One instance per thread, reused line after line ({@link #read} overwrites every field).
 */
public final class ContainerLine {
    /** The runtime format, as reports name it. */
    public enum Runtime {
        CRI,
        DOCKER
    }

    public Runtime runtime;
    /** The runtime's time of the line, epoch ms UTC. */
    public long timeMillis;
    /** The runtime's time as written. */
    public String timeText;
    /** {@code stdout} or {@code stderr}. */
    public String stream;
    /** The runtime cut the application's line here; the next chunk of the same stream continues it. */
    public boolean partial;
    /** The application's text, without the runtime's prefix or Docker's trailing newline. */
    public String content;

    private final TimestampLayouts.Match match = new TimestampLayouts.Match();
    private final JsonFactory json = new JsonFactory();

    /** Reads {@code text} as a CRI or Docker json-file line; false (fields unspecified) when it is neither. */
    public boolean read(String text) {
        if (text.startsWith("{\"log\":")) return readDocker(text);
        return readCri(text);
    }

    /** Whether {@code text} is a container runtime line (for sampling; allocates a reader). */
    public static boolean isContainerLine(String text) {
        return new ContainerLine().read(text);
    }

    private boolean readCri(String text) {
        int n = text.length();
        if (n < 30 || !TimestampLayouts.isDigit(text.charAt(0))) return false;
        int space = text.indexOf(' ');
        if (space < 20 || space > 40) return false;
        int p = space + 1;
        String stream;
        if (text.startsWith("stdout ", p)) {
            stream = "stdout";
        } else if (text.startsWith("stderr ", p)) {
            stream = "stderr";
        } else {
            return false; // checked before the time: most lines fail here, cheaply
        }
        if (!TimestampLayouts.match(TimestampLayouts.ISO_8601, text, 0, 0, match) || match.end != space) return false;
        p += 7;
        if (p >= n) return false;
        char tag = text.charAt(p);
        if (tag != 'P' && tag != 'F') return false;
        p++;
        while (p < n && text.charAt(p) == ':') { // further tags, reserved by the CRI ("F:x")
            p++;
            while (p < n && text.charAt(p) != ' ' && text.charAt(p) != ':') p++;
        }
        if (p < n && text.charAt(p) != ' ') return false;
        runtime = Runtime.CRI;
        timeMillis = match.epochMillis;
        timeText = text.substring(0, space);
        this.stream = stream;
        partial = tag == 'P';
        content = p < n ? text.substring(p + 1) : "";
        return true;
    }

    private boolean readDocker(String text) {
        String log = null;
        String stream = null;
        String time = null;
        try (JsonParser p = json.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return false;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "log" -> log = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "stream" -> stream = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "time" -> time = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "attrs" -> p.skipChildren();
                    default -> {
                        return false; // another object that happens to have a "log" key
                    }
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) return false;
        } catch (IOException | RuntimeException e) {
            return false;
        }
        if (log == null || time == null) return false;
        if (!TimestampLayouts.match(TimestampLayouts.ISO_8601, time, 0, 0, match) || match.end != time.length()) {
            return false;
        }
        runtime = Runtime.DOCKER;
        timeMillis = match.epochMillis;
        timeText = time;
        this.stream = stream == null ? "stdout" : stream;
        partial = !log.endsWith("\n");
        int end = log.length();
        if (end > 0 && log.charAt(end - 1) == '\n') end--;
        if (end > 0 && log.charAt(end - 1) == '\r') end--;
        content = log.substring(0, end);
        return true;
    }
}
