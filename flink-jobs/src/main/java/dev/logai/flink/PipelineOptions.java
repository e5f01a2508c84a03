package dev.logai.flink;

import static org.apache.flink.configuration.ConfigOptions.key;

import dev.logai.common.contract.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;

/**
 * Every setting of the pipeline, typed. Each one is read from the environment variable named
 * after its key: {@code logai.kafka.bootstrap} ← {@code LOGAI_KAFKA_BOOTSTRAP} (upper case, dots
 * and dashes become underscores), so the same jar runs locally and in a cluster.
 */
public final class PipelineOptions {
    private PipelineOptions() {}

    // Kafka
    public static final ConfigOption<String> KAFKA_BOOTSTRAP = key("logai.kafka.bootstrap")
            .stringType()
            .defaultValue("127.0.0.1:19092")
            .withDescription("Kafka bootstrap servers.");
    public static final ConfigOption<String> KAFKA_RAW_TOPIC = key("logai.kafka.raw-topic")
            .stringType()
            .defaultValue(Topics.RAW_LINES)
            .withDescription("Topic the gateway writes accepted batches to.");
    public static final ConfigOption<String> KAFKA_DEAD_LETTER_TOPIC = key("logai.kafka.dead-letter-topic")
            .stringType()
            .defaultValue(Topics.DEAD_LETTER)
            .withDescription("Topic for input the pipeline could not use, with the reason.");
    public static final ConfigOption<String> KAFKA_GROUP_ID = key("logai.kafka.group-id")
            .stringType()
            .defaultValue("logai-pipeline")
            .withDescription("Consumer group; offsets are committed on checkpoints.");
    public static final ConfigOption<String> KAFKA_CLIENT_PROPERTIES = key("logai.kafka.client-properties")
            .stringType()
            .defaultValue("")
            .withDescription("Extra Kafka client properties 'k=v;k=v' (TLS, SASL for managed Kafka).");

    // Postgres
    public static final ConfigOption<String> DB_URL = key("logai.db.url")
            .stringType()
            .defaultValue("jdbc:postgresql://127.0.0.1:15432/logai")
            .withDescription("JDBC URL of the LogAi database.");
    public static final ConfigOption<String> DB_USER = key("logai.db.user")
            .stringType()
            .defaultValue("logai_app")
            .withDescription("Application role (must not own tables or bypass RLS).");
    public static final ConfigOption<String> DB_PASSWORD =
            key("logai.db.password").stringType().defaultValue("").withDescription("Password of the application role.");
    public static final ConfigOption<Duration> DB_FLUSH_INTERVAL = key("logai.db.flush-interval")
            .durationType()
            .defaultValue(Duration.ofSeconds(1))
            .withDescription("Longest time a window update waits in the sink buffer.");

    // Raw archive (S3 or any Flink file system)
    public static final ConfigOption<String> S3_BUCKET = key("logai.s3.bucket")
            .stringType()
            .defaultValue("logai-raw")
            .withDescription("Bucket of the raw-line archive.");
    public static final ConfigOption<String> ARCHIVE_PATH = key("logai.archive.path")
            .stringType()
            .noDefaultValue()
            .withDescription("Archive location; defaults to s3://<logai.s3.bucket>/. Any Flink file system URI works.");
    public static final ConfigOption<String> S3_ENDPOINT = key("logai.s3.endpoint")
            .stringType()
            .noDefaultValue()
            .withDescription("S3 endpoint for S3-compatible stores; unset for AWS S3.");
    public static final ConfigOption<String> S3_REGION =
            key("logai.s3.region").stringType().defaultValue("us-east-1").withDescription("S3 region.");
    public static final ConfigOption<String> S3_ACCESS_KEY = key("logai.s3.access-key")
            .stringType()
            .noDefaultValue()
            .withDescription("S3 access key; unset to use the default AWS credential chain (IRSA, instance role).");
    public static final ConfigOption<String> S3_SECRET_KEY =
            key("logai.s3.secret-key").stringType().noDefaultValue().withDescription("S3 secret key.");
    public static final ConfigOption<Duration> ARCHIVE_ROLLOVER = key("logai.archive.rollover-interval")
            .durationType()
            .defaultValue(Duration.ofMinutes(15))
            .withDescription("Longest time an archive object stays open.");
    public static final ConfigOption<Duration> ARCHIVE_INACTIVITY = key("logai.archive.inactivity-interval")
            .durationType()
            .defaultValue(Duration.ofMinutes(5))
            .withDescription("An archive object is closed after this long without lines.");
    public static final ConfigOption<MemorySize> ARCHIVE_MAX_PART = key("logai.archive.max-part-size")
            .memoryType()
            .defaultValue(MemorySize.parse("128mb"))
            .withDescription("Archive objects are closed at this size.");

    // Windows
    public static final ConfigOption<Duration> WINDOW_SIZE = key("logai.window.size")
            .durationType()
            .defaultValue(Duration.ofMinutes(1))
            .withDescription("Tumbling event-time window length.");
    public static final ConfigOption<Duration> WINDOW_OUT_OF_ORDERNESS = key("logai.window.out-of-orderness")
            .durationType()
            .defaultValue(Duration.ofSeconds(30))
            .withDescription("How far behind the newest line a line may be and still be on time.");
    public static final ConfigOption<Duration> WINDOW_ALLOWED_LATENESS = key("logai.window.allowed-lateness")
            .durationType()
            .defaultValue(Duration.ofMinutes(5))
            .withDescription(
                    "Lines this late still update their (complete) window; later ones go to the dead-letter topic.");
    public static final ConfigOption<Duration> WINDOW_EARLY_FIRING = key("logai.window.early-firing-interval")
            .durationType()
            .defaultValue(Duration.ofSeconds(10))
            .withDescription("Open windows publish running totals this often; 0 disables.");
    public static final ConfigOption<Duration> WINDOW_IDLENESS = key("logai.window.idleness")
            .durationType()
            .defaultValue(Duration.ofSeconds(30))
            .withDescription(
                    "After this long without lines, an input's event time advances with the wall clock, so the windows of a quiet source complete.");

    // Anomaly detection
    public static final ConfigOption<String> ANOMALY_SENSITIVITY = key("logai.anomaly.sensitivity")
            .stringType()
            .defaultValue("medium")
            .withDescription("Default anomaly sensitivity: low, medium or high.");
    public static final ConfigOption<String> ANOMALY_SENSITIVITY_OVERRIDES = key("logai.anomaly.sensitivity-overrides")
            .stringType()
            .defaultValue("")
            .withDescription("Per org or source: org_a=high,org_b/src_1=low.");
    public static final ConfigOption<Duration> ANOMALY_SILENCE_RESTART_GRACE =
            key("logai.anomaly.silence-restart-grace")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(60))
                    .withDescription(
                            "After a (re)start, how long before a quiet live source may be reported silent by the wall clock: the windows that queued up while the job was down are judged first.");
    public static final ConfigOption<Duration> WINDOW_CLOCK_TTL = key("logai.window.clock-ttl")
            .durationType()
            .defaultValue(Duration.ofDays(7))
            .withDescription(
                    "How long a quiet source's event-time clock is kept; a line it sends later starts a new one.");

    // Summaries: which windows, and the LLM that writes them (none: the built-in extractive summarizer)
    public static final ConfigOption<String> LLM_BASE_URL = key("logai.llm.base-url")
            .stringType()
            .noDefaultValue()
            .withDescription("OpenAI-compatible endpoint, e.g. https://api.openai.com/v1 or a vLLM/Ollama server's /v1;"
                    + " unset: summaries are extractive.");
    public static final ConfigOption<String> LLM_API_KEY = key("logai.llm.api-key")
            .stringType()
            .defaultValue("")
            .withDescription("API key sent as a bearer token (empty for servers that need none).");
    public static final ConfigOption<String> LLM_MODEL = key("logai.llm.model")
            .stringType()
            .defaultValue("gpt-4.1-mini")
            .withDescription("Model name sent with each request.");
    public static final ConfigOption<Duration> LLM_REQUEST_TIMEOUT = key("logai.llm.request-timeout")
            .durationType()
            .defaultValue(Duration.ofSeconds(20))
            .withDescription("Longest wait for one LLM response.");
    public static final ConfigOption<Duration> LLM_TIMEOUT = key("logai.llm.timeout")
            .durationType()
            .defaultValue(Duration.ofSeconds(60))
            .withDescription(
                    "Longest time one summary may take, retries included; then the extractive fallback is stored.");
    public static final ConfigOption<Integer> LLM_CAPACITY = key("logai.llm.capacity")
            .intType()
            .defaultValue(16)
            .withDescription("Summaries in flight per parallel instance (async I/O capacity).");
    public static final ConfigOption<Integer> LLM_MAX_ATTEMPTS = key("logai.llm.max-attempts")
            .intType()
            .defaultValue(3)
            .withDescription(
                    "Calls per summary on 429/5xx/timeouts, with jittered exponential backoff and Retry-After.");
    public static final ConfigOption<String> LLM_PRICES = key("logai.llm.prices")
            .stringType()
            .defaultValue(dev.logai.flink.summary.PriceTable.DEFAULT)
            .withDescription(
                    "USD per million input/output tokens per model: model=in/out,...; '*' for any other model.");
    public static final ConfigOption<String> LLM_FALLBACK_BASE_URL = key("logai.llm.fallback.base-url")
            .stringType()
            .noDefaultValue()
            .withDescription("A second OpenAI-compatible endpoint (e.g. a local vLLM or Ollama server's /v1) for"
                    + " non-urgent summaries (old data: uploads, backfills) and for live ones when the first model"
                    + " fails or the org's budget is spent, before the extractive fallback; unset: none.");
    public static final ConfigOption<String> LLM_FALLBACK_API_KEY = key("logai.llm.fallback.api-key")
            .stringType()
            .defaultValue("")
            .withDescription("API key of the second endpoint (empty for servers that need none).");
    public static final ConfigOption<String> LLM_FALLBACK_MODEL = key("logai.llm.fallback.model")
            .stringType()
            .defaultValue("llama3.1")
            .withDescription("Model name sent to the second endpoint.");
    public static final ConfigOption<Duration> LLM_FALLBACK_OLDER_THAN = key("logai.llm.fallback.older-than")
            .durationType()
            .defaultValue(Duration.ofHours(1))
            .withDescription("A summary of windows that ended longer ago than this is non-urgent: the second model"
                    + " writes it.");
    public static final ConfigOption<String> AI_BUDGETS = key("logai.ai.budgets")
            .stringType()
            .defaultValue(dev.logai.common.plan.Plans.DEFAULT_AI_BUDGETS)
            .withDescription("Monthly AI budget in USD per plan; an org's own budget (org.ai_budget_usd) wins.");
    public static final ConfigOption<String> PLANS = key("logai.plans")
            .stringType()
            .defaultValue("")
            .withDescription("Changes to the plans' limits, plan.limit=value,… (the services read the same"
                    + " LOGAI_PLANS); the job reads summaries_in_flight.");
    public static final ConfigOption<Integer> SUMMARY_PROMPT_TOKENS = key("logai.summary.prompt-tokens")
            .intType()
            .defaultValue(6000)
            .withDescription("Input token budget of one summary prompt.");
    public static final ConfigOption<Integer> SUMMARY_ERROR_LINES = key("logai.summary.error-lines")
            .intType()
            .defaultValue(100)
            .withDescription("A window with at least this many error lines is summarized.");
    public static final ConfigOption<String> SUMMARY_ERROR_LINES_OVERRIDES = key("logai.summary.error-lines-overrides")
            .stringType()
            .defaultValue("")
            .withDescription("Per org or source: org_a=500,org_b/src_1=20.");
    public static final ConfigOption<Integer> SUMMARY_NEW_TEMPLATES = key("logai.summary.new-templates")
            .intType()
            .defaultValue(5)
            .withDescription("A window with at least this many new templates is summarized.");
    public static final ConfigOption<Duration> SUMMARY_INCIDENT_GAP = key("logai.summary.incident-gap")
            .durationType()
            .defaultValue(Duration.ofMinutes(5))
            .withDescription("Interesting windows closer than this belong to one incident and update one summary.");
    public static final ConfigOption<Integer> SUMMARY_REFRESH_WINDOWS = key("logai.summary.refresh-windows")
            .intType()
            .defaultValue(15)
            .withDescription("An ongoing incident with no new signal is re-summarized every this many windows.");
    public static final ConfigOption<Duration> SUMMARY_DIGEST = key("logai.summary.digest")
            .durationType()
            .defaultValue(Duration.ZERO)
            .withDescription("Periodic digest per source (e.g. 24h); 0 turns digests off.");

    // Alerts: rules from the query API's topic, evaluated on every judged window, sent once
    public static final ConfigOption<String> KAFKA_ALERT_RULES_TOPIC = key("logai.kafka.alert-rules-topic")
            .stringType()
            .defaultValue(Topics.ALERT_RULES)
            .withDescription("Compacted topic of alert rules (written by the query API).");
    public static final ConfigOption<String> KAFKA_ANOMALY_SETTINGS_TOPIC = key("logai.kafka.anomaly-settings-topic")
            .stringType()
            .defaultValue(Topics.ANOMALY_SETTINGS)
            .withDescription("Compacted topic of the anomaly sensitivity tenants set (written by the query API).");
    public static final ConfigOption<Boolean> ALERTS_ALLOW_PRIVATE_TARGETS = key("logai.alerts.allow-private-targets")
            .booleanType()
            .defaultValue(false)
            .withDescription(
                    "Allow webhook/Slack targets on loopback and private networks (self-hosted installs, tests).");
    public static final ConfigOption<String> ALERTS_SLACK_HOSTS = key("logai.alerts.slack-hosts")
            .stringType()
            .defaultValue("hooks.slack.com")
            .withDescription("Hosts a Slack channel URL may point to.");
    public static final ConfigOption<Duration> ALERTS_TIMEOUT = key("logai.alerts.timeout")
            .durationType()
            .defaultValue(Duration.ofSeconds(10))
            .withDescription("Connect and response timeout of one delivery attempt.");
    public static final ConfigOption<String> DASHBOARD_URL = key("logai.dashboard.url")
            .stringType()
            .defaultValue("http://127.0.0.1:3000")
            .withDescription("Base of the dashboard links in alerts.");
    public static final ConfigOption<String> SMTP_HOST = key("logai.smtp.host")
            .stringType()
            .noDefaultValue()
            .withDescription("SMTP server for alert e-mail; unset: e-mail deliveries fail with that reason.");
    public static final ConfigOption<Integer> SMTP_PORT =
            key("logai.smtp.port").intType().defaultValue(587).withDescription("SMTP port.");
    public static final ConfigOption<String> SMTP_USERNAME = key("logai.smtp.username")
            .stringType()
            .defaultValue("")
            .withDescription("SMTP user (empty: no authentication).");
    public static final ConfigOption<String> SMTP_PASSWORD =
            key("logai.smtp.password").stringType().defaultValue("").withDescription("SMTP password.");
    public static final ConfigOption<String> SMTP_FROM = key("logai.smtp.from")
            .stringType()
            .defaultValue("LogAi alerts <alerts@logai.local>")
            .withDescription("Sender of alert e-mail.");
    public static final ConfigOption<Boolean> SMTP_STARTTLS =
            key("logai.smtp.starttls").booleanType().defaultValue(true).withDescription("Require STARTTLS.");

    // Parsing
    public static final ConfigOption<Duration> PARSE_LEARN_WAIT = key("logai.parse.learn-wait")
            .durationType()
            .defaultValue(Duration.ofSeconds(2))
            .withDescription("A new source's first lines wait at most this long while its format is learned.");
    public static final ConfigOption<Duration> PARSE_MULTILINE_FLUSH = key("logai.parse.multiline-flush")
            .durationType()
            .defaultValue(Duration.ofSeconds(2))
            .withDescription(
                    "An event stays open this long after its last line for continuation lines (stack traces).");

    // Uploads: files PUT to S3 through a pre-signed URL, registered at the gateway, read here in chunks
    public static final ConfigOption<String> KAFKA_UPLOADS_TOPIC = key("logai.kafka.uploads-topic")
            .stringType()
            .defaultValue(Topics.UPLOADS)
            .withDescription("Topic of \"upload registered\" events (written by the gateway).");
    public static final ConfigOption<MemorySize> UPLOAD_CHUNK_SIZE = key("logai.upload.chunk-size")
            .memoryType()
            .defaultValue(MemorySize.parse("1mb"))
            .withDescription("Bytes of an uploaded file read in one step (one chunk row); live lines are"
                    + " processed between steps, so this bounds how long an upload holds its task.");
    public static final ConfigOption<Integer> UPLOAD_MAX_LINE_BYTES = key("logai.upload.max-line-bytes")
            .intType()
            .defaultValue(65536)
            .withDescription("Longer lines of an uploaded file are cut to this many bytes and flagged truncated"
                    + " (as the gateway's LOGAI_INGEST_MAX_LINE_BYTES).");

    // Fault tolerance
    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL = key("logai.checkpoint.interval")
            .durationType()
            .defaultValue(Duration.ofSeconds(30))
            .withDescription("Checkpoint interval; also the archive's commit latency.");
    public static final ConfigOption<String> CHECKPOINT_DIR = key("logai.checkpoint.dir")
            .stringType()
            .defaultValue("file:///tmp/logai/checkpoints")
            .withDescription("Durable checkpoint storage (s3://… in a cluster).");
    public static final ConfigOption<Boolean> RESUME_LATEST_CHECKPOINT = key("logai.checkpoint.resume-latest")
            .booleanType()
            .defaultValue(false)
            .withDescription("Local runs: resume from the newest retained checkpoint in logai.checkpoint.dir.");
    public static final ConfigOption<Integer> PARALLELISM = key("logai.parallelism")
            .intType()
            .defaultValue(-1)
            .withDescription("Job parallelism; -1 uses the cluster default.");

    public static final ConfigOption<Integer> METRICS_PORT = key("logai.metrics.port")
            .intType()
            .defaultValue(0)
            .withDescription("Local runs: the port of the job's Prometheus endpoint on 127.0.0.1 (Flink's"
                    + " metrics, LoopbackPrometheusReporterFactory); 0: none. ./logai up sets it. On a cluster"
                    + " the Flink configuration enables Flink's PrometheusReporter (k8s/, deploy/docker/flink).");

    public static final ConfigOption<Boolean> OTEL_EXPORT_ENABLED = key("logai.otel.export-enabled")
            .booleanType()
            .defaultValue(false)
            .withDescription("Export the job's spans (LLM summaries, alert deliveries; each continuing the"
                    + " request traces of its lines) over OTLP/HTTP, as the services do.");

    public static final ConfigOption<String> OTEL_ENDPOINT = key("logai.otel.endpoint")
            .stringType()
            .defaultValue("http://127.0.0.1:4318/v1/traces")
            .withDescription("The OTLP/HTTP traces endpoint (a collector's /v1/traces).");

    public static final ConfigOption<Double> TRACE_SAMPLING = key("logai.trace.sampling")
            .doubleType()
            .defaultValue(0.1)
            .withDescription("Share of new traces kept, 0-1; a continued trace keeps its own sampling decision.");

    public static List<ConfigOption<?>> all() {
        return List.of(
                KAFKA_BOOTSTRAP,
                KAFKA_RAW_TOPIC,
                KAFKA_DEAD_LETTER_TOPIC,
                KAFKA_GROUP_ID,
                KAFKA_CLIENT_PROPERTIES,
                DB_URL,
                DB_USER,
                DB_PASSWORD,
                DB_FLUSH_INTERVAL,
                S3_BUCKET,
                ARCHIVE_PATH,
                S3_ENDPOINT,
                S3_REGION,
                S3_ACCESS_KEY,
                S3_SECRET_KEY,
                ARCHIVE_ROLLOVER,
                ARCHIVE_INACTIVITY,
                ARCHIVE_MAX_PART,
                WINDOW_SIZE,
                WINDOW_OUT_OF_ORDERNESS,
                WINDOW_ALLOWED_LATENESS,
                WINDOW_EARLY_FIRING,
                WINDOW_IDLENESS,
                ANOMALY_SENSITIVITY,
                ANOMALY_SENSITIVITY_OVERRIDES,
                ANOMALY_SILENCE_RESTART_GRACE,
                WINDOW_CLOCK_TTL,
                PARSE_LEARN_WAIT,
                PARSE_MULTILINE_FLUSH,
                LLM_BASE_URL,
                LLM_API_KEY,
                LLM_MODEL,
                LLM_REQUEST_TIMEOUT,
                LLM_TIMEOUT,
                LLM_CAPACITY,
                LLM_MAX_ATTEMPTS,
                LLM_PRICES,
                LLM_FALLBACK_BASE_URL,
                LLM_FALLBACK_API_KEY,
                LLM_FALLBACK_MODEL,
                LLM_FALLBACK_OLDER_THAN,
                AI_BUDGETS,
                PLANS,
                SUMMARY_PROMPT_TOKENS,
                SUMMARY_ERROR_LINES,
                SUMMARY_ERROR_LINES_OVERRIDES,
                SUMMARY_NEW_TEMPLATES,
                SUMMARY_INCIDENT_GAP,
                SUMMARY_REFRESH_WINDOWS,
                SUMMARY_DIGEST,
                KAFKA_ALERT_RULES_TOPIC,
                KAFKA_ANOMALY_SETTINGS_TOPIC,
                KAFKA_UPLOADS_TOPIC,
                UPLOAD_CHUNK_SIZE,
                UPLOAD_MAX_LINE_BYTES,
                ALERTS_ALLOW_PRIVATE_TARGETS,
                ALERTS_SLACK_HOSTS,
                ALERTS_TIMEOUT,
                DASHBOARD_URL,
                SMTP_HOST,
                SMTP_PORT,
                SMTP_USERNAME,
                SMTP_PASSWORD,
                SMTP_FROM,
                SMTP_STARTTLS,
                CHECKPOINT_INTERVAL,
                CHECKPOINT_DIR,
                RESUME_LATEST_CHECKPOINT,
                PARALLELISM,
                METRICS_PORT,
                OTEL_EXPORT_ENABLED,
                OTEL_ENDPOINT,
                TRACE_SAMPLING);
    }

    /** {@code logai.window.early-firing-interval} → {@code LOGAI_WINDOW_EARLY_FIRING_INTERVAL}. */
    public static String environmentVariable(ConfigOption<?> option) {
        return option.key().toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** Reads every option from its environment variable; unset ones keep their defaults. */
    public static Configuration fromEnvironment(Map<String, String> env) {
        Configuration conf = new Configuration();
        List<String> bad = new ArrayList<>();
        for (ConfigOption<?> option : all()) {
            String value = env.get(environmentVariable(option));
            if (value != null && !value.isBlank()) {
                conf.setString(option.key(), value.trim());
            }
        }
        for (ConfigOption<?> option : all()) {
            try {
                conf.get(option);
            } catch (IllegalArgumentException e) {
                bad.add(environmentVariable(option) + ": " + e.getMessage());
            }
        }
        if (!bad.isEmpty()) {
            throw new IllegalArgumentException("Invalid settings: " + String.join("; ", bad));
        }
        return conf;
    }

    public static String archivePath(Configuration settings) {
        return settings.getOptional(ARCHIVE_PATH).orElse("s3://" + settings.get(S3_BUCKET) + "/");
    }
}
