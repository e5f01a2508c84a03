package dev.logai.flink.template;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Replaces the obviously variable parts of a message with {@code <*>} before mining, so that
 * "Received block blk_-160 of size 91178 from /10.250.10.6" and every other line of that kind
 * reduce to one string. The rules are generic (no system's format is known here):
 *
 * <ul>
 *   <li>A message is split into tokens on whitespace; a token into segments on structural
 *       punctuation ({@code : = , ; ( ) [ ] { } " ' | < > @}), which stays as written, so
 *       {@code rhost=10.1.2.3} becomes {@code rhost=<*>} and {@code /10.1.2.3:50010} becomes
 *       {@code <*>:<*>}.</li>
 *   <li>A segment is a variable when it is a number (decimal, signed, {@code 0x} hex, dotted such as an
 *       IPv4 address or a version), contains a numeric or long hex part ({@code blk_-160},
 *       {@code container_1445_0020}), is hex of 8+ characters, a path with two or more slashes, or a URL.
 *       Words with a digit inside ({@code ssh2}, {@code jk2_init}, {@code tty2}) stay constant.</li>
 *   <li>IPv6 and MAC addresses, runs of numbers joined by {@code / _ -} (dates), a dotted name with a
 *       numeric suffix ({@code core.114} → {@code core.<*>}), leader dots
 *       ({@code instruction......0}), size units after a number ({@code 9.2 KB} → {@code <*>}), and
 *       month or weekday names next to a variable (dates in the message) are handled too.</li>
 * </ul>
 *
 * Masking is idempotent: masking an already masked message changes nothing (a property test holds
 * this), so a template's text can be matched against itself.
 */
public final class TokenMasker {
    public static final String VAR = "<*>";
    /** A token longer than this is one variable: it cannot be a meaningful constant. */
    static final int MAX_TOKEN_CHARS = 256;

    private TokenMasker() {}

    /** Masks {@code message} into {@code out} as tokens joined by single spaces; returns the token count. */
    public static int mask(CharSequence message, int maxTokens, StringBuilder out) {
        int n = message.length();
        int tokens = 0;
        int i = 0;
        boolean candidate = false; // a date word or size unit: the neighbour rules may apply
        boolean secretNext = false; // "password: x": the next token is a secret's value
        boolean keyPending = false; // "password = x": a bare secret key, waiting for a lone separator
        while (i < n) {
            while (i < n && isSpace(message.charAt(i))) i++;
            if (i >= n) break;
            int start = i;
            while (i < n && !isSpace(message.charAt(i))) i++;
            if (tokens == maxTokens - 1) {
                // Past the token budget the rest of the message is one variable: the template stays bounded.
                if (tokens > 0) out.append(' ');
                out.append(VAR);
                return tokens + 1;
            }
            if (i - start <= 5 && !candidate)
                candidate = isCandidateWord(message, start, i) || isPlaceholder(message, start, i);
            if (tokens > 0) out.append(' ');
            char last = message.charAt(i - 1);
            if (secretNext && isAuthScheme(message, start, i)) {
                out.append(message, start, i); // "Authorization: Bearer <token>": the scheme stays, the token goes
            } else if ((secretNext || keyPending) && i - start == 1 && (last == '=' || last == ':')) {
                out.append(last); // "password = hunter2": the separator on its own
                secretNext = true;
                keyPending = false;
            } else {
                boolean value = secretNext;
                if (value) out.append(VAR);
                else maskToken(message, start, i, out);
                secretNext = (last == ':' || last == '=') && endsWithSecretKey(message, start, i - 1)
                        || (!value && message.charAt(start) == '-' && isSecretFlagOrKey(message, start, i, last));
                keyPending = !value && message.charAt(start) != '-' && isSecretFlagOrKey(message, start, i, last);
            }
            tokens++;
        }
        return candidate ? finishDatesAndUnits(out, tokens) : tokens;
    }

    public static String mask(CharSequence message) {
        StringBuilder out = new StringBuilder(message.length() + 8);
        mask(message, Integer.MAX_VALUE, out);
        return out.toString();
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }

    static boolean isDelimiter(char c) {
        switch (c) {
            case ':':
            case '=':
            case ',':
            case ';':
            case '(':
            case ')':
            case '[':
            case ']':
            case '{':
            case '}':
            case '"':
            case '\'':
            case '|':
            case '<':
            case '>':
            case '@':
                return true;
            default:
                return false;
        }
    }

    private static boolean isTrail(char c) {
        return c == '.' || c == ',' || c == ';';
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static final String[] UNITS = {"B", "KB", "MB", "GB", "TB", "KiB", "MiB", "GiB", "TiB"};

    private static boolean regionEquals(CharSequence s, int start, String word) {
        for (int k = 0; k < word.length(); k++) {
            if (s.charAt(start + k) != word.charAt(k)) return false;
        }
        return true;
    }

    static void maskToken(CharSequence s, int start, int end, StringBuilder out) {
        if (end - start > MAX_TOKEN_CHARS) {
            out.append(VAR);
            return;
        }
        if (isVarLiteral(s, start, end)) {
            out.append(VAR);
            return;
        }
        if (isEmptyValue(s, start, end)) {
            // "()" and "[]": a value that was empty this time, as "(<*>)" is the same value when not
            out.append(s.charAt(start)).append(VAR).append(s, start + 1, end);
            return;
        }
        int colon = -1, at = -1;
        for (int i = start; i < end && (colon < 0 || at < 0); i++) {
            char c = s.charAt(i);
            if (c == ':' && colon < 0) colon = i;
            else if (c == '@' && at < 0) at = i;
        }
        if (colon >= 0) {
            if (isIpv6OrMac(s, start, end)) {
                out.append(VAR);
                return;
            }
            int scheme = indexOf(s, colon, end, "://");
            if (scheme > start) {
                out.append(s, start, scheme + 3).append(VAR);
                return;
            }
        }
        if (at > start && maskEmail(s, start, end, at, out)) return;
        int segStart = start;
        int keyStart = start, keyEnd = start; // the last non-empty segment: a key, when "=" or ":" follows
        boolean secretValue = false;
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (isDelimiter(c) && !isVarAt(s, i, end)) {
                if (i > segStart) {
                    if (secretValue) {
                        out.append(VAR);
                        secretValue = false;
                    } else {
                        maskSegmentWithTrail(s, segStart, i, out);
                    }
                    keyStart = segStart;
                    keyEnd = i;
                }
                out.append(c);
                if ((c == '=' || c == ':') && keyEnd > keyStart && isSecretKey(s, keyStart, keyEnd)) secretValue = true;
                segStart = i + 1;
            } else if (c == '<' && isVarAt(s, i, end)) {
                // an already masked "<*>" inside a token: keep it whole (idempotence)
                maskSegmentWithTrail(s, segStart, i, out);
                out.append(VAR);
                i += 2;
                segStart = i + 1;
            }
        }
        if (secretValue && end > segStart) out.append(VAR);
        else maskSegmentWithTrail(s, segStart, end, out);
    }

    private static final String[] SECRET_KEY_WORDS = {
        "password",
        "passwd",
        "pwd",
        "secret",
        "token",
        "apikey",
        "api_key",
        "api-key",
        "accesskey",
        "access_key",
        "access-key",
        "privatekey",
        "private_key",
        "private-key",
        "credential",
        "credentials",
        "sessionid",
        "session_id",
        "authorization",
        "phone",
        "mobile",
        "msisdn"
    };

    /** The last letters of {@link #SECRET_KEY_WORDS}. */
    private static final String SECRET_KEY_ENDINGS = "dtnylse";

    /**
     * A key that ends in a word naming a secret or a phone number ({@code password}, {@code
     * X-Api-Key}, {@code auth_token}, {@code userPassword}, {@code mobile}): its value is always a
     * variable, even a word ({@code password=hunter2}). The word must start the key or follow
     * {@code _ - .} or a lower-case letter (camel case), so {@code input_userauth_request} and
     * {@code PhoneStatusBar} are not secrets. The same kinds as the summary's PII scrubber knows.
     */
    static boolean isSecretKey(CharSequence s, int start, int end) {
        if (end - start < 3 || end - start > 64) return false;
        char last = Character.toLowerCase(s.charAt(end - 1));
        if (SECRET_KEY_ENDINGS.indexOf(last) < 0) return false; // most keys: one comparison on the hit path
        for (String word : SECRET_KEY_WORDS) {
            int at = end - word.length();
            if (at < start || word.charAt(word.length() - 1) != last) continue;
            int k = 0;
            while (k < word.length() && Character.toLowerCase(s.charAt(at + k)) == word.charAt(k)) k++;
            if (k < word.length()) continue;
            if (at == start) return true;
            char before = s.charAt(at - 1);
            if (before == '_' || before == '-' || before == '.') return true;
            if (Character.isLowerCase(before) && Character.isUpperCase(s.charAt(at))) return true;
        }
        return false;
    }

    private static final String[] AUTH_SCHEMES = {"bearer", "basic", "token", "digest", "negotiate", "apikey"};

    /** {@code Bearer}, {@code Basic}, …: the word before a credential, not the credential. */
    private static boolean isAuthScheme(CharSequence s, int start, int end) {
        for (String scheme : AUTH_SCHEMES) {
            if (scheme.length() != end - start) continue;
            int k = 0;
            while (k < scheme.length() && Character.toLowerCase(s.charAt(start + k)) == scheme.charAt(k)) k++;
            if (k == scheme.length()) return true;
        }
        return false;
    }

    /**
     * A token that is a secret's key on its own, so the value follows as a later token: a flag
     * ({@code --password hunter2}) or a bare key, whose value counts only after a lone separator
     * ({@code password = hunter2}; "invalid password for root" keeps its words).
     */
    private static boolean isSecretFlagOrKey(CharSequence s, int start, int end, char last) {
        if (last == ':' || last == '=' || SECRET_KEY_ENDINGS.indexOf(Character.toLowerCase(last)) < 0) return false;
        int a = start;
        while (a < end && a - start < 2 && s.charAt(a) == '-') a++;
        for (int i = a; i < end; i++) if (isDelimiter(s.charAt(i))) return false;
        return isSecretKey(s, a, end);
    }

    /** The token {@code [start, end)} ends in a secret's key ({@code password} of {@code "password"}), the separator cut. */
    private static boolean endsWithSecretKey(CharSequence s, int start, int end) {
        int e = end;
        while (e > start && (s.charAt(e - 1) == '"' || s.charAt(e - 1) == '\'')) e--;
        int b = e;
        while (b > start && !isDelimiter(s.charAt(b - 1))) b--;
        return isSecretKey(s, b, e);
    }

    /**
     * An e-mail address in the token ({@code <jane.doe@example.com>,}) becomes one variable, the
     * rest of the token masked as usual: personal data never stays in a template, and the local
     * part is not left behind as a constant word by the {@code @} delimiter.
     */
    private static boolean maskEmail(CharSequence s, int start, int end, int at, StringBuilder out) {
        int local = at;
        while (local > start && isEmailLocalChar(s.charAt(local - 1))) local--;
        int domain = at + 1;
        int dots = 0;
        while (domain < end && (isHostChar(s.charAt(domain)) || s.charAt(domain) == '.')) {
            if (s.charAt(domain) == '.') dots++;
            domain++;
        }
        while (domain > at + 1 && s.charAt(domain - 1) == '.') {
            domain--;
            dots--;
        }
        if (local == at || dots < 1 || !isLetter(s.charAt(domain - 1))) return false;
        if (local > start) maskToken(s, start, local, out);
        out.append(VAR);
        if (domain < end) maskToken(s, domain, end, out);
        return true;
    }

    private static boolean isEmailLocalChar(char c) {
        return isLetter(c) || isDigit(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
    }

    private static boolean isHostChar(char c) {
        return isLetter(c) || isDigit(c) || c == '-';
    }

    private static final String[] GENERIC_TLDS = {
        "com",
        "net",
        "org",
        "edu",
        "gov",
        "mil",
        "int",
        "info",
        "biz",
        "io",
        "local",
        "localdomain",
        "lan",
        "internal",
        "intranet",
        "corp",
        "home",
        "arpa",
        "cloud"
    };

    private static boolean isGenericTld(CharSequence s, int start, int end) {
        for (String tld : GENERIC_TLDS) {
            if (tld.length() != end - start) continue;
            boolean same = true;
            for (int k = 0; k < tld.length() && same; k++) {
                same = Character.toLowerCase(s.charAt(start + k)) == tld.charAt(k);
            }
            if (same) return true;
        }
        return false;
    }

    /**
     * A host name: dot-separated labels of letters, digits and hyphens ending in a top-level domain
     * ({@code proxy.cse.cuhk.edu.hk}, {@code db-1.prod.internal}, {@code zummit.com}). A two-letter
     * country code needs two dots, so file names ({@code setup.py}) stay words; names that start with
     * a top-level domain are reversed package names ({@code com.apple.xpc}), not hosts.
     */
    static boolean isHostName(CharSequence s, int start, int end) {
        int dots = 0, label = start, lastLabel = start;
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (c == '.') {
                if (i == label) return false;
                dots++;
                label = i + 1;
                lastLabel = label;
            } else if (!isHostChar(c)) {
                return false;
            }
        }
        if (dots == 0 || lastLabel >= end) return false;
        for (int i = lastLabel; i < end; i++) if (!isLetter(s.charAt(i))) return false;
        int firstDot = indexOf(s, start, end, ".");
        if (isGenericTld(s, start, firstDot)) return false;
        return isGenericTld(s, lastLabel, end) || (end - lastLabel == 2 && dots >= 2);
    }

    /** {@code CORP\jsmith}, {@code C:\Users\x}: a backslash between word characters. */
    private static boolean hasWordBackslash(CharSequence s, int start, int end) {
        for (int i = start + 1; i < end - 1; i++) {
            if (s.charAt(i) == '\\'
                    && Character.isLetterOrDigit(s.charAt(i - 1))
                    && (Character.isLetterOrDigit(s.charAt(i + 1)) || s.charAt(i + 1) == '$')) return true;
        }
        return false;
    }

    /** A token that is only an empty pair of brackets or quotes ({@code ()}, {@code [],}, {@code ""}). */
    private static boolean isEmptyValue(CharSequence s, int start, int end) {
        int e = end;
        while (e > start + 2 && isTrail(s.charAt(e - 1))) e--;
        if (e - start != 2) return false;
        char open = s.charAt(start), close = s.charAt(start + 1);
        return (open == '(' && close == ')')
                || (open == '[' && close == ']')
                || (open == '"' && close == '"')
                || (open == '\'' && close == '\'');
    }

    private static boolean isVarAt(CharSequence s, int i, int end) {
        return i + 2 < end && s.charAt(i) == '<' && s.charAt(i + 1) == '*' && s.charAt(i + 2) == '>';
    }

    private static boolean isVarLiteral(CharSequence s, int start, int end) {
        return end - start == 3 && isVarAt(s, start, end);
    }

    private static int indexOf(CharSequence s, int start, int end, String what) {
        outer:
        for (int i = start; i + what.length() <= end; i++) {
            for (int k = 0; k < what.length(); k++) {
                if (s.charAt(i + k) != what.charAt(k)) continue outer;
            }
            return i;
        }
        return -1;
    }

    /** {@code fe80::1}, {@code 2001:db8:0:0:8d3:0:0:0}, {@code 00:1a:2b:3c:4d:5e}, optionally bracketed. */
    private static boolean isIpv6OrMac(CharSequence s, int start, int end) {
        int a = start, b = end;
        while (b > a && isTrail(s.charAt(b - 1))) b--;
        if (a < b && (s.charAt(a) == '[' || s.charAt(a) == '(')) a++;
        if (b > a && (s.charAt(b - 1) == ']' || s.charAt(b - 1) == ')')) b--;
        if (b - a < 3) return false;
        int colons = 0, run = 0;
        boolean digit = false, doubleColon = false;
        for (int i = a; i < b; i++) {
            char c = s.charAt(i);
            if (c == ':') {
                colons++;
                if (i > a && s.charAt(i - 1) == ':') doubleColon = true;
                run = 0;
            } else if (isHex(c)) {
                if (++run > 4) return false;
                digit |= isDigit(c);
            } else {
                return false;
            }
        }
        return digit && colons <= 7 && (colons >= 4 || (doubleColon && colons >= 2));
    }

    private static void maskSegmentWithTrail(CharSequence s, int start, int end, StringBuilder out) {
        int e = end;
        while (e > start && isTrail(s.charAt(e - 1))) e--;
        maskSegment(s, start, e, out);
        out.append(s, e, end);
    }

    static void maskSegment(CharSequence s, int start, int end, StringBuilder out) {
        if (start >= end) return;
        // Leader dots ("instruction......0"): each side on its own.
        int dots = indexOf(s, start, end, "..");
        if (dots >= 0) {
            int i = start;
            int part = start;
            while (i < end) {
                if (s.charAt(i) == '.' && i + 1 < end && s.charAt(i + 1) == '.') {
                    appendPart(s, part, i, out);
                    int j = i;
                    while (j < end && s.charAt(j) == '.') j++;
                    out.append(s, i, j);
                    i = j;
                    part = j;
                } else {
                    i++;
                }
            }
            appendPart(s, part, end, out);
            return;
        }
        if (numbersJoined(s, start, end, out)) return;
        // "core.114": a name with a numeric suffix keeps the name.
        int letters = start;
        while (letters < end && isLetter(s.charAt(letters))) letters++;
        if (letters - start >= 2 && letters < end && s.charAt(letters) == '.' && numericDotted(s, letters, end)) {
            out.append(s, start, letters).append('.').append(VAR);
            return;
        }
        appendPart(s, start, end, out);
    }

    private static void appendPart(CharSequence s, int start, int end, StringBuilder out) {
        if (isVariable(s, start, end)) out.append(VAR);
        else out.append(s, start, end);
    }

    /** ".114", ".1.2": dot-separated digit runs. */
    private static boolean numericDotted(CharSequence s, int start, int end) {
        int i = start;
        while (i < end) {
            if (s.charAt(i) != '.') return false;
            i++;
            int d = i;
            while (i < end && isDigit(s.charAt(i))) i++;
            if (i == d) return false;
        }
        return true;
    }

    /** "2016-09-28", "30546354_3209865774", "2016/9/28": numbers joined by / _ - keep their joints. */
    private static boolean numbersJoined(CharSequence s, int start, int end, StringBuilder out) {
        int parts = 0;
        int i = start;
        while (i < end) {
            int p = i;
            if (i + 1 < end && s.charAt(i) == '0' && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')) {
                i += 2;
                int h = i;
                while (i < end && isHex(s.charAt(i))) i++;
                if (i == h) return false;
            } else {
                if (!isDigit(s.charAt(i))) return false;
                while (i < end && (isDigit(s.charAt(i)) || s.charAt(i) == '.')) i++;
            }
            if (i == p) return false;
            parts++;
            if (i < end) {
                char c = s.charAt(i);
                if (c != '/' && c != '_' && c != '-') return false;
                i++;
                if (i == end) return false;
            }
        }
        if (parts < 2) return false;
        for (i = start; i < end; ) {
            char c = s.charAt(i);
            if (c == '/' || c == '_' || c == '-') {
                out.append(c);
                i++;
            } else {
                out.append(VAR);
                while (i < end && s.charAt(i) != '/' && s.charAt(i) != '_' && s.charAt(i) != '-') i++;
            }
        }
        return true;
    }

    /** The segment rules of the class comment. */
    static boolean isVariable(CharSequence s, int start, int end) {
        int len = end - start;
        if (len == 0) return false;
        if (s.charAt(start) == '/' && count(s, start, end, '/') >= 2) return true;
        boolean allHex = true, digit = false, dot = false, backslash = false;
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            allHex &= isHex(c);
            digit |= isDigit(c);
            dot |= c == '.';
            backslash |= c == '\\';
        }
        if (allHex && len >= 8) return true;
        if (digit && len >= 16 && isOpaqueToken(s, start, end)) return true;
        if (backslash && hasWordBackslash(s, start, end)) return true;
        if (dot && isHostName(s, start, end)) return true;
        if (!digit) return false;
        int a = start;
        while (a < end
                && (s.charAt(a) == '+'
                        || s.charAt(a) == '-'
                        || s.charAt(a) == '#'
                        || s.charAt(a) == '/'
                        || s.charAt(a) == '~')) a++;
        if (a < end && isDigit(s.charAt(a))) return true;
        // Parts between _ - . / # ~: one all digits, or hex of 6+ characters, makes an identifier variable.
        int p = start;
        for (int i = start; i <= end; i++) {
            if (i == end || isPartSeparator(s.charAt(i))) {
                if (i > p && (allDigits(s, p, i) || (i - p >= 6 && allHex(s, p, i)))) return true;
                p = i + 1;
            }
        }
        return false;
    }

    /**
     * 16+ characters of letters and digits, at least one a digit ({@code AKIAIOSFODNN7EXAMPLE},
     * a bearer token, a JWT's parts): a key or a token, never a constant. With {@code -} or {@code _}
     * (base64url) only when upper and lower case mix, so snake_case names stay words.
     */
    private static boolean isOpaqueToken(CharSequence s, int start, int end) {
        int upper = 0, lower = 0;
        boolean joined = false;
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') upper++;
            else if (c >= 'a' && c <= 'z') lower++;
            else if (c == '-' || c == '_') joined = true;
            else if (!isDigit(c) && c != '.' && c != '+' && c != '/' && c != '=') return false;
        }
        // with "-" or "_" (base64url, as in JWTs) only mixed case: snake_case names stay words
        return upper + lower > 0 && (!joined || (upper > 0 && lower > 0));
    }

    private static boolean isPartSeparator(char c) {
        return c == '_' || c == '-' || c == '.' || c == '/' || c == '#' || c == '~';
    }

    private static boolean allDigits(CharSequence s, int start, int end) {
        for (int i = start; i < end; i++) if (!isDigit(s.charAt(i))) return false;
        return true;
    }

    private static boolean allHex(CharSequence s, int start, int end) {
        for (int i = start; i < end; i++) if (!isHex(s.charAt(i))) return false;
        return true;
    }

    private static int count(CharSequence s, int start, int end, char c) {
        int n = 0;
        for (int i = start; i < end; i++) if (s.charAt(i) == c) n++;
        return n;
    }

    private static final String[] DATE_WORDS = {
        "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
        "Oct", "Nov", "Dec"
    };

    /**
     * Two rules that look at neighbouring tokens, applied on the masked text (rarely needed, so
     * only when a candidate word is present) until nothing changes, which keeps masking idempotent:
     * month and weekday names next to a variable or another date word are part of a date
     * ("at Sun Jul 24 02:38:22 2005"); a size unit right after a lone variable belongs to it
     * ("9.2 KB" → {@code <*>}). Returns the token count.
     */
    private static int finishDatesAndUnits(StringBuilder out, int tokens) {
        List<String> list = new ArrayList<>(Arrays.asList(out.toString().split(" ", -1)));
        boolean changed = maskPlaceholderRuns(list);
        if (!changed && out.indexOf(VAR) < 0) return tokens;
        boolean again = true;
        while (again) {
            again = false;
            for (int i = 0; i < list.size(); i++) {
                String t = list.get(i);
                if (t.length() == 3 && isDateWord(t, 0)) {
                    boolean next = i + 1 < list.size() && isDateOrVar(list.get(i + 1));
                    boolean prev = i > 0 && isDateOrVar(list.get(i - 1));
                    if (next || prev) {
                        list.set(i, VAR);
                        again = true;
                    }
                } else if (i > 0 && list.get(i - 1).equals(VAR)) {
                    int e = t.length();
                    while (e > 0 && (t.charAt(e - 1) == ',' || t.charAt(e - 1) == ';' || t.charAt(e - 1) == ')')) e--;
                    if (isUnit(t, e)) {
                        list.set(i - 1, VAR + t.substring(e));
                        list.remove(i);
                        i--;
                        again = true;
                    }
                }
            }
            changed |= again;
        }
        if (!changed) return tokens;
        out.setLength(0);
        out.append(String.join(" ", list));
        return list.size();
    }

    /**
     * Runs of two or more dashes ({@code [req-<*> - - - - -]} where another line has {@code [req-<*>
     * <*> <*> - - -]}) are absent values, not words: each becomes a variable, so the two shapes are one
     * template. A lone dash ({@code chrome.exe - host}, {@code failed - POSSIBLE BREAK-IN}) is a separator
     * and stays.
     */
    private static boolean maskPlaceholderRuns(List<String> list) {
        boolean[] run = new boolean[list.size()];
        boolean any = false;
        for (int i = 0; i + 1 < list.size(); i++) {
            String a = list.get(i), b = list.get(i + 1);
            if (isPlaceholder(a, 0, a.length()) && isPlaceholder(b, 0, b.length())) {
                run[i] = run[i + 1] = true;
                any = true;
            }
        }
        if (!any) return false;
        for (int i = 0; i < run.length; i++) {
            if (run[i]) list.set(i, VAR + list.get(i).substring(1));
        }
        return true;
    }

    /** {@code -}, {@code -]}, {@code -)}: a dash standing for an absent value, as in {@code [req-1 - - -]}. */
    private static boolean isPlaceholder(CharSequence s, int start, int end) {
        return s.charAt(start) == '-'
                && (end - start == 1
                        || (end - start == 2 && (s.charAt(start + 1) == ']' || s.charAt(start + 1) == ')')));
    }

    private static boolean isDateOrVar(String t) {
        return t.contains(VAR) || (t.length() == 3 && isDateWord(t, 0));
    }

    private static boolean isUnitAt(CharSequence s, int start, int len) {
        for (String unit : UNITS) {
            if (unit.length() == len && regionEquals(s, start, unit)) return true;
        }
        return false;
    }

    private static boolean isUnit(String t, int end) {
        for (String unit : UNITS) {
            if (unit.length() == end && t.startsWith(unit)) return true;
        }
        return false;
    }

    /** A date word or a unit, possibly with trailing punctuation. */
    private static boolean isCandidateWord(CharSequence s, int start, int end) {
        int e = end;
        while (e > start && (s.charAt(e - 1) == ',' || s.charAt(e - 1) == ';' || s.charAt(e - 1) == ')')) e--;
        int len = e - start;
        return len >= 1 && len <= 3 && ((len == 3 && isDateWord(s, start)) || isUnitAt(s, start, len));
    }

    private static boolean isDateWord(CharSequence s, int at) {
        for (String w : DATE_WORDS) {
            if (s.charAt(at) == w.charAt(0) && s.charAt(at + 1) == w.charAt(1) && s.charAt(at + 2) == w.charAt(2)) {
                return true;
            }
        }
        return false;
    }
}
