package dev.logai.tools.bench;

import dev.logai.flink.window.WindowStats;
import java.io.Serializable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * What a benchmark job on an in-process MiniCluster did, without keeping its output: sinks that
 * discard every record after counting it, the moment the first input record was read and the
 * moment the last sink saw the end of its input. Flink copies each sink to its tasks, so the
 * figures live in this JVM's statics; one job at a time, {@link #reset} before each.
 *
 * <p>The clock runs from the first record read to the end of input at the last sink, so neither
 * the start of the job (task deployment, RocksDB) nor the final checkpoint a bounded job waits for
 * before it finishes is counted: what remains is the time the job took for its records.
 */
final class Tally {
    private static final Map<String, LongAdder> COUNTS = new ConcurrentHashMap<>();
    /** Per (org, source, window start): the events of the window's latest complete row. */
    private static final Map<String, Long> COMPLETE_WINDOWS = new ConcurrentHashMap<>();

    private static final AtomicLong FIRST_READ = new AtomicLong();
    private static final AtomicLong LAST_END = new AtomicLong();
    private static final AtomicInteger ENDED = new AtomicInteger();

    private Tally() {}

    static void reset() {
        COUNTS.clear();
        COMPLETE_WINDOWS.clear();
        FIRST_READ.set(0);
        LAST_END.set(0);
        ENDED.set(0);
    }

    /** Called for every record a source reads; only the first one counts. */
    static void read() {
        if (FIRST_READ.get() == 0) {
            FIRST_READ.compareAndSet(0, System.nanoTime());
        }
    }

    /** How many sink writers saw the end of their input. */
    static int ended() {
        return ENDED.get();
    }

    /** Seconds from the first record read to the last end of input at a sink. */
    static double seconds() {
        return (LAST_END.get() - FIRST_READ.get()) / 1e9;
    }

    /** The sum of the weights of the records that reached the sinks named {@code name}. */
    static long count(String name) {
        LongAdder adder = COUNTS.get(name);
        return adder == null ? 0 : adder.sum();
    }

    /** Complete windows seen (each counted once, however often it was emitted). */
    static int completeWindows() {
        return COMPLETE_WINDOWS.size();
    }

    /** Events in complete windows, each window's latest row. */
    static long completeWindowEvents() {
        return COMPLETE_WINDOWS.values().stream().mapToLong(Long::longValue).sum();
    }

    /** How much a record counts for. */
    interface Weight<T> extends Serializable {
        long of(T record);
    }

    /** Counts records (each weighing 1) under {@code name}, keeps none. */
    static <T> Sink<T> counting(String name) {
        return counting(name, r -> 1);
    }

    /** Adds up the weights of the records under {@code name}, keeps none. */
    static <T> Sink<T> counting(String name, Weight<T> weight) {
        return new CountingSink<>(name, weight);
    }

    /** Counts window-stat rows and keeps, per window, the events of its latest complete row. */
    static Sink<WindowStats> windowStats(String name) {
        return new CountingSink<WindowStats>(name, w -> {
            if (w.complete) {
                COMPLETE_WINDOWS.put(w.orgId + "/" + w.sourceId + "@" + w.windowStart, w.lines);
            }
            return 1;
        });
    }

    private static final class CountingSink<T> implements Sink<T> {
        private final String name;
        private final Weight<T> weight;

        CountingSink(String name, Weight<T> weight) {
            this.name = name;
            this.weight = weight;
        }

        @Override
        public SinkWriter<T> createWriter(WriterInitContext context) {
            LongAdder counter = COUNTS.computeIfAbsent(name, n -> new LongAdder());
            return new SinkWriter<>() {
                @Override
                public void write(T element, Context ctx) {
                    counter.add(weight.of(element));
                }

                @Override
                public void flush(boolean endOfInput) {
                    if (endOfInput) {
                        LAST_END.accumulateAndGet(System.nanoTime(), Math::max);
                        ENDED.incrementAndGet();
                    }
                }

                @Override
                public void close() {}
            };
        }
    }
}
