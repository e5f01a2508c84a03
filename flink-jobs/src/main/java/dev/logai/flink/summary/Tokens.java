package dev.logai.flink.summary;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * Token counts as OpenAI's current models count them (o200k_base BPE, via jtokkit): prompt budgets
 * and the naive baseline of {@code ./logai bench summaries} are measured with the same tokenizer.
 * Other models' tokenizers differ by some percent; budgets keep headroom for that.
 */
public final class Tokens {
    private static final Encoding ENCODING = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

    private Tokens() {}

    public static int count(String text) {
        return text == null || text.isEmpty() ? 0 : ENCODING.countTokensOrdinary(text);
    }
}
