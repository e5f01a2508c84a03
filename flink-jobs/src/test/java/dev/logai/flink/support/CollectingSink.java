package dev.logai.flink.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A sink for topology tests on a MiniCluster in the same JVM: every parallel writer appends to one
 * list per sink instance, read back with {@link #values()} after the job finished. (Flink copies
 * the sink to each task, so the list lives in a static registry under the instance's id.)
 */
public final class CollectingSink<T> implements Sink<T> {
    private static final Map<String, List<Object>> RESULTS = new ConcurrentHashMap<>();

    private final String id = UUID.randomUUID().toString();

    public CollectingSink() {
        RESULTS.put(id, new ArrayList<>());
    }

    /** What every writer received, in no particular order across writers. */
    @SuppressWarnings("unchecked")
    public List<T> values() {
        List<Object> values = RESULTS.get(id);
        synchronized (values) {
            return (List<T>) List.copyOf(values);
        }
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        List<Object> values = RESULTS.get(id);
        return new SinkWriter<>() {
            @Override
            public void write(T element, Context ctx) {
                synchronized (values) {
                    values.add(element);
                }
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }
}
