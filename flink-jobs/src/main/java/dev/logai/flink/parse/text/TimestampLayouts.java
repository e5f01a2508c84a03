package dev.logai.flink.parse.text;

/**
 * The timestamp forms services write in text headers, as small layouts matched character by
 * character (no regex, no allocation): ISO-8601 and its relatives, syslog and ctime dates, US/EU
 * numeric dates, compact {@code yyMMdd HHmmss}, access-log dates, time-only and epoch numbers.
 * Which layout a source uses, and where in its header, is learned per source by
 * {@link HeaderLearner}; this class only knows the generic forms.
 *
 * <p>Layout letters: {@code Y} yyyy, {@code y} yy, {@code M} MM, {@code m} M or MM, {@code D} dd,
 * {@code d} d or dd, {@code _} day padded with a space or not, {@code h} HH, {@code g} H or HH,
 * {@code i} mm, {@code j} m or mm, {@code s} ss, {@code k} s or ss, {@code f} optional fraction after {@code . , :}, {@code z} optional
 * zone, {@code N} month name, {@code W} weekday name, {@code T} 'T' or a space, {@code ~} optional
 * " yyyy"; any other character is literal.
 */
public final class TimestampLayouts {
    /** Longest match wins when several apply, so order only breaks ties (US before EU dates). */
    static final String[] LAYOUTS = {
        "Y-M-DTh:i:sfz",
        "Y-m-dTg:i:sfz",
        "Y/M/DTh:i:sfz",
        "Y/m/d g:i:sf",
        "Y.M.DTh:i:sfz",
        "Y-M-D-h.i.sf",
        "Y-M-D-h:i:sf",
        "YMD-h:i:sf",
        "YMD-g:j:kf",
        "YMDTh:i:sfz",
        "YMDThisfz",
        "y/M/D h:i:sf",
        "y-M-D h:i:sf",
        "M-D h:i:sf",
        "M/D/Y h:i:sf",
        "D/M/Y h:i:sf",
        "D.M.Y h:i:sf",
        "M-D-Y h:i:sf",
        "D-M-Y h:i:sf",
        "m/d/y g:i:sfz",
        "d/m/y g:i:sfz",
        "Y年m月d日 g:i:sf",
        "Y年m月d日g:i:sf",
        "Y년 m월 d일 g:i:sf",
        "D/N/Y:h:i:sf z",
        "D-N-Y h:i:sf",
        "D N Y h:i:sf",
        "N _ h:i:sf~",
        "N _ Y h:i:sf",
        "W N _ h:i:sf~",
        "W N _ h:i:sf z Y",
        "W, D N Y h:i:s z",
        "yMD his",
        "yMD g:i:sf",
        "M.D h:i:sf",
        "Y-M-D",
        "Y.M.D",
        "Y/M/D",
        "h:i:sf",
    };

    /**
     * Month names and their usual abbreviations, lower case, per language: English, German, French,
     * Spanish, Italian, Portuguese, Dutch, Polish (nominative and genitive), Russian (nominative and
     * genitive), Swedish, Turkish. A name is matched as a whole word (an optional trailing dot
     * included), else by its first four, then three letters, so "Sept" and "Mär" both read.
     */
    private static final String[][] MONTH_NAMES = {
        {
            "jan",
            "january",
            "januar",
            "jänner",
            "janv",
            "janvier",
            "ene",
            "enero",
            "gen",
            "gennaio",
            "janeiro",
            "januari",
            "sty",
            "styczeń",
            "stycznia",
            "янв",
            "январь",
            "января",
            "oca",
            "ocak"
        },
        {
            "feb",
            "february",
            "februar",
            "févr",
            "fevr",
            "février",
            "febrero",
            "febbraio",
            "fev",
            "fevereiro",
            "februari",
            "lut",
            "luty",
            "lutego",
            "фев",
            "февраль",
            "февраля",
            "şub",
            "şubat",
            "sub"
        },
        {
            "mar", "march", "märz", "mär", "mrz", "mars", "marzo", "março", "mrt", "maart", "mars", "marzec", "marca",
            "мар", "март", "марта", "mart"
        },
        {
            "apr",
            "april",
            "avr",
            "avril",
            "abr",
            "abril",
            "aprile",
            "kwi",
            "kwiecień",
            "kwietnia",
            "апр",
            "апрель",
            "апреля",
            "nis",
            "nisan"
        },
        {"may", "mai", "mayo", "mag", "maggio", "maio", "mei", "maj", "мая", "май", "mayıs"},
        {
            "jun",
            "june",
            "juni",
            "juin",
            "junio",
            "giu",
            "giugno",
            "junho",
            "cze",
            "czerwiec",
            "czerwca",
            "июн",
            "июнь",
            "июня",
            "haz",
            "haziran"
        },
        {
            "jul", "july", "juli", "juil", "juillet", "julio", "lug", "luglio", "julho", "lip", "lipiec", "lipca",
            "июл", "июль", "июля", "tem", "temmuz"
        },
        {
            "aug",
            "august",
            "août",
            "aout",
            "ago",
            "agosto",
            "augustus",
            "sie",
            "sierpień",
            "sierpnia",
            "авг",
            "август",
            "августа",
            "ağu",
            "ağustos",
            "agu"
        },
        {
            "sep",
            "sept",
            "september",
            "septembre",
            "septiembre",
            "set",
            "settembre",
            "setembro",
            "wrz",
            "wrzesień",
            "września",
            "сен",
            "сент",
            "сентябрь",
            "сентября",
            "eyl",
            "eylül"
        },
        {
            "oct",
            "october",
            "okt",
            "oktober",
            "octobre",
            "octubre",
            "ott",
            "ottobre",
            "out",
            "outubro",
            "paź",
            "październik",
            "października",
            "окт",
            "октябрь",
            "октября",
            "eki",
            "ekim"
        },
        {
            "nov",
            "november",
            "novembre",
            "noviembre",
            "novembro",
            "lis",
            "listopad",
            "listopada",
            "ноя",
            "нояб",
            "ноябрь",
            "ноября",
            "kas",
            "kasım"
        },
        {
            "dec",
            "december",
            "dez",
            "dezember",
            "déc",
            "decembre",
            "décembre",
            "dic",
            "diciembre",
            "dicembre",
            "dezembro",
            "gru",
            "grudzień",
            "grudnia",
            "дек",
            "декабрь",
            "декабря",
            "ara",
            "aralık"
        },
    };
    /** Weekday names and abbreviations, Monday first, in the languages of {@link #MONTH_NAMES}. */
    private static final String[][] WEEKDAY_NAMES = {
        {
            "mon",
            "monday",
            "mo",
            "montag",
            "lun",
            "lundi",
            "lunes",
            "lunedì",
            "seg",
            "segunda",
            "ma",
            "maandag",
            "pon",
            "poniedziałek",
            "пн",
            "пон",
            "mån",
            "måndag",
            "pzt",
            "pazartesi"
        },
        {
            "tue",
            "tuesday",
            "di",
            "dienstag",
            "mar",
            "mardi",
            "martes",
            "martedì",
            "ter",
            "terça",
            "dinsdag",
            "wt",
            "wtorek",
            "вт",
            "вто",
            "tis",
            "tisdag",
            "sal",
            "salı"
        },
        {
            "wed",
            "wednesday",
            "mi",
            "mittwoch",
            "mer",
            "mercredi",
            "mié",
            "mie",
            "miércoles",
            "mercoledì",
            "qua",
            "quarta",
            "wo",
            "woensdag",
            "śr",
            "środa",
            "ср",
            "сре",
            "ons",
            "onsdag",
            "çar",
            "çarşamba"
        },
        {
            "thu",
            "thursday",
            "do",
            "donnerstag",
            "jeu",
            "jeudi",
            "jue",
            "jueves",
            "gio",
            "giovedì",
            "qui",
            "quinta",
            "donderdag",
            "czw",
            "czwartek",
            "чт",
            "чет",
            "tor",
            "torsdag",
            "per",
            "perşembe"
        },
        {
            "fri",
            "friday",
            "fr",
            "freitag",
            "ven",
            "vendredi",
            "vie",
            "viernes",
            "venerdì",
            "sex",
            "sexta",
            "vr",
            "vrijdag",
            "pt",
            "piątek",
            "пт",
            "пят",
            "fre",
            "fredag",
            "cum",
            "cuma"
        },
        {
            "sat",
            "saturday",
            "sa",
            "samstag",
            "sam",
            "samedi",
            "sáb",
            "sab",
            "sábado",
            "sabato",
            "za",
            "zaterdag",
            "sob",
            "sobota",
            "сб",
            "суб",
            "lör",
            "lördag",
            "cmt",
            "cumartesi"
        },
        {
            "sun",
            "sunday",
            "so",
            "sonntag",
            "dim",
            "dimanche",
            "dom",
            "domingo",
            "domenica",
            "zo",
            "zondag",
            "nd",
            "niedziela",
            "вс",
            "вос",
            "sön",
            "söndag",
            "paz",
            "pazar"
        },
    };

    private static final java.util.Map<String, Integer> MONTHS = index(MONTH_NAMES);
    private static final java.util.Map<String, Integer> WEEKDAYS = index(WEEKDAY_NAMES);

    private static java.util.Map<String, Integer> index(String[][] names) {
        java.util.Map<String, Integer> byName = new java.util.HashMap<>();
        for (int i = 0; i < names.length; i++) {
            for (String name : names[i]) byName.putIfAbsent(name, i);
        }
        return java.util.Map.copyOf(byName);
    }

    /** The layout every ISO-8601 / RFC 3339 timestamp matches ({@code 2024-05-14T09:12:03.121000123Z}). */
    public static final int ISO_8601 = 0;
    /** Epoch numbers are accepted as timestamps between 2000-01-01 and 2100-01-01. */
    private static final long EPOCH_MIN_S = 946_684_800L;

    private static final long EPOCH_MAX_S = 4_102_444_800L;
    public static final int EPOCH = LAYOUTS.length;
    public static final int NONE = -1;

    private TimestampLayouts() {}

    /** Result of one match; reused by a single thread to keep matching allocation-free. */
    public static final class Match {
        public int layout = NONE;
        public int end;
        public long epochMillis;
        /** The layout had no date or no year: filled from the reference time. */
        public boolean dateFromReference;

        int year, month, day, hour, minute, second, nanos, offsetSeconds, nameEnd;
        boolean hasYear, hasDate, twoDigitYear;
    }

    public static String describe(int layout) {
        return layout == EPOCH ? "epoch" : layout >= 0 && layout < LAYOUTS.length ? LAYOUTS[layout] : "none";
    }

    /**
     * The longest timestamp starting exactly at {@code from}, or false. {@code referenceMillis}
     * (the receive time) supplies the year or date a layout lacks.
     */
    public static boolean matchAny(CharSequence s, int from, long referenceMillis, Match out) {
        int bestLayout = NONE;
        int bestEnd = -1;
        for (int i = 0; i < LAYOUTS.length; i++) {
            int end = matchLayout(i, s, from, out);
            if (end > bestEnd) {
                bestEnd = end;
                bestLayout = i;
            } else if (end == bestEnd && end > 0 && YEAR_FIRST[i] != YEAR_FIRST[bestLayout]) {
                // "03/04/19": yy/MM/dd (2003-04-19) or MM/dd/yy (2019-03-04)? The reading nearer
                // the receive time: logs are read within years of being written, not decades.
                long candidate = toEpochMillis(out, referenceMillis);
                matchLayout(bestLayout, s, from, out);
                long current = toEpochMillis(out, referenceMillis);
                if (Math.abs(candidate - referenceMillis) < Math.abs(current - referenceMillis)) bestLayout = i;
            }
        }
        int epochEnd = matchEpoch(s, from, out);
        if (epochEnd > bestEnd) {
            out.layout = EPOCH;
            out.end = epochEnd;
            return true;
        }
        if (bestLayout == NONE) {
            return false;
        }
        return match(bestLayout, s, from, referenceMillis, out);
    }

    /**
     * The layout a source's timestamps are in, from the votes of its sample lines ({@code votes[i]}:
     * lines whose timestamp matched layout {@code i} best). Numeric dates are ambiguous while the
     * day is at most 12 and such lines vote for the month-first (US) layout, listed first; a line
     * whose first number is above 12 can only be day-first, so one such vote settles the source
     * as day-first (EU) for all its lines.
     */
    public static int settleDayOrder(int[] votes) {
        int best = 0;
        for (int i = 1; i < votes.length; i++) {
            if (votes[i] > votes[best]) best = i;
        }
        for (int[] pair : MONTH_FIRST_DAY_FIRST) {
            if (best == pair[0] && votes[pair[1]] > 0) return pair[1];
        }
        return best;
    }

    /** Whether each layout writes its year before the day (yy/MM/dd) rather than after it (MM/dd/yy). */
    private static final boolean[] YEAR_FIRST = new boolean[LAYOUTS.length];

    static {
        for (int i = 0; i < LAYOUTS.length; i++) {
            String l = LAYOUTS[i];
            int year = Math.max(l.indexOf('Y'), l.indexOf('y'));
            int day = Math.max(Math.max(l.indexOf('D'), l.indexOf('d')), l.indexOf('_'));
            YEAR_FIRST[i] = year >= 0 && day >= 0 && year < day;
        }
    }

    /** Layout index pairs (month-first, day-first) that differ only in the order of day and month. */
    private static final int[][] MONTH_FIRST_DAY_FIRST = {
        {indexOf("M/D/Y h:i:sf"), indexOf("D/M/Y h:i:sf")},
        {indexOf("M-D-Y h:i:sf"), indexOf("D-M-Y h:i:sf")},
        {indexOf("m/d/y g:i:sfz"), indexOf("d/m/y g:i:sfz")},
    };

    private static int indexOf(String layout) {
        int i = java.util.Arrays.asList(LAYOUTS).indexOf(layout);
        if (i < 0) throw new IllegalStateException("no layout " + layout);
        return i;
    }

    /** Matches one known layout at {@code from}; fills {@code out} with the instant. */
    public static boolean match(int layout, CharSequence s, int from, long referenceMillis, Match out) {
        if (layout == EPOCH) {
            int end = matchEpoch(s, from, out);
            if (end < 0) return false;
            out.layout = EPOCH;
            out.end = end;
            return true;
        }
        int end = matchLayout(layout, s, from, out);
        if (end < 0) {
            return false;
        }
        out.layout = layout;
        out.end = end;
        out.epochMillis = toEpochMillis(out, referenceMillis);
        return true;
    }

    /** End of the match of layout {@code index} at {@code from}, or -1; fields go to {@code m}. */
    static int matchLayout(int index, CharSequence s, int from, Match m) {
        String layout = LAYOUTS[index];
        int n = s.length();
        int p = from;
        m.hasYear = false;
        m.hasDate = false;
        m.twoDigitYear = false;
        m.nanos = 0;
        m.offsetSeconds = 0;
        m.hour = m.minute = m.second = 0;
        m.year = 0;
        m.month = 1;
        m.day = 1;
        for (int k = 0; k < layout.length(); k++) {
            char op = layout.charAt(k);
            int v;
            switch (op) {
                case 'Y':
                    if ((v = digits(s, p, 4)) < 0) return -1;
                    m.year = v;
                    m.hasYear = true;
                    p += 4;
                    break;
                case 'y':
                    if ((v = digits(s, p, 2)) < 0) return -1;
                    m.year = v;
                    m.hasYear = true;
                    m.twoDigitYear = true;
                    p += 2;
                    break;
                case 'M':
                    if ((v = digits(s, p, 2)) < 1 || v > 12) return -1;
                    m.month = v;
                    m.hasDate = true;
                    p += 2;
                    break;
                case 'm':
                    if ((v = digits1or2(s, p)) < 1 || v > 12) return -1;
                    m.month = v;
                    m.hasDate = true;
                    p += v >= 10 || (p + 1 < n && isDigit(s.charAt(p + 1))) ? 2 : 1;
                    break;
                case 'D':
                    if ((v = digits(s, p, 2)) < 1 || v > 31) return -1;
                    m.day = v;
                    p += 2;
                    break;
                case 'd':
                    if ((v = digits1or2(s, p)) < 1 || v > 31) return -1;
                    m.day = v;
                    p += p + 1 < n && isDigit(s.charAt(p + 1)) ? 2 : 1;
                    break;
                case '_':
                    if (p < n && s.charAt(p) == ' ') p++;
                    if ((v = digits1or2(s, p)) < 1 || v > 31) return -1;
                    m.day = v;
                    p += p + 1 < n && isDigit(s.charAt(p + 1)) ? 2 : 1;
                    break;
                case 'h':
                    if ((v = digits(s, p, 2)) < 0 || v > 23) return -1;
                    m.hour = v;
                    p += 2;
                    break;
                case 'g':
                    if ((v = digits1or2(s, p)) < 0 || v > 23) return -1;
                    m.hour = v;
                    p += p + 1 < n && isDigit(s.charAt(p + 1)) ? 2 : 1;
                    break;
                case 'i':
                    if ((v = digits(s, p, 2)) < 0 || v > 59) return -1;
                    m.minute = v;
                    p += 2;
                    break;
                case 'j':
                    if ((v = digits1or2(s, p)) < 0 || v > 59) return -1;
                    m.minute = v;
                    p += p + 1 < n && isDigit(s.charAt(p + 1)) ? 2 : 1;
                    break;
                case 'k':
                    if ((v = digits1or2(s, p)) < 0 || v > 60) return -1;
                    m.second = Math.min(v, 59);
                    p += p + 1 < n && isDigit(s.charAt(p + 1)) ? 2 : 1;
                    break;
                case 's':
                    if ((v = digits(s, p, 2)) < 0 || v > 60) return -1;
                    m.second = Math.min(v, 59);
                    p += 2;
                    break;
                case 'f':
                    p = fraction(s, p, m);
                    break;
                case 'z':
                    p = zone(s, p, m);
                    break;
                case 'N':
                    if ((v = name(s, p, MONTHS, m)) < 0) return -1;
                    m.month = v + 1;
                    m.hasDate = true;
                    p = m.nameEnd;
                    break;
                case 'W':
                    if (name(s, p, WEEKDAYS, m) < 0) return -1;
                    p = m.nameEnd;
                    break;
                case 'T':
                    if (p >= n || (s.charAt(p) != 'T' && s.charAt(p) != ' ')) return -1;
                    p++;
                    break;
                case '~':
                    if (p + 4 < n + 0
                            && s.charAt(p) == ' '
                            && (v = digits(s, p + 1, 4)) >= 1970
                            && v < 2200
                            && !(p + 5 < n && isDigit(s.charAt(p + 5)))) {
                        m.year = v;
                        m.hasYear = true;
                        p += 5;
                    }
                    break;
                default:
                    if (p >= n || s.charAt(p) != op) return -1;
                    p++;
            }
        }
        if (layout.indexOf('D') >= 0 || layout.indexOf('d') >= 0 || layout.indexOf('_') >= 0) {
            m.hasDate = true;
        }
        // a timestamp ends a word: "2024-01-01x" or "10:00:00123" is something else
        if (p < n && (Character.isLetterOrDigit(s.charAt(p)))) {
            return -1;
        }
        return p;
    }

    private static int matchEpoch(CharSequence s, int from, Match m) {
        int n = s.length();
        int p = from;
        long v = 0;
        while (p < n && isDigit(s.charAt(p)) && p - from < 14) {
            v = v * 10 + (s.charAt(p) - '0');
            p++;
        }
        int len = p - from;
        long millis;
        if (len == 10 && v >= EPOCH_MIN_S && v < EPOCH_MAX_S) {
            millis = v * 1000;
            if (p + 1 < n && s.charAt(p) == '.' && isDigit(s.charAt(p + 1))) {
                int q = p + 1;
                int frac = 0;
                int digits = 0;
                while (q < n && isDigit(s.charAt(q))) {
                    if (digits < 3) frac = frac * 10 + (s.charAt(q) - '0');
                    digits++;
                    q++;
                }
                for (int d = digits; d < 3; d++) frac *= 10;
                millis += frac;
                p = q;
            }
        } else if (len == 13 && v >= EPOCH_MIN_S * 1000 && v < EPOCH_MAX_S * 1000) {
            millis = v;
        } else {
            return -1;
        }
        if (p < n && Character.isLetterOrDigit(s.charAt(p))) {
            return -1;
        }
        m.epochMillis = millis;
        m.dateFromReference = false;
        return p;
    }

    private static int fraction(CharSequence s, int p, Match m) {
        int n = s.length();
        if (p + 1 >= n) return p;
        char c = s.charAt(p);
        if ((c != '.' && c != ',' && c != ':') || !isDigit(s.charAt(p + 1))) return p;
        int q = p + 1;
        int nanos = 0;
        int digits = 0;
        while (q < n && isDigit(s.charAt(q)) && digits < 9) {
            nanos = nanos * 10 + (s.charAt(q) - '0');
            digits++;
            q++;
        }
        for (int d = digits; d < 9; d++) nanos *= 10;
        m.nanos = nanos;
        return q;
    }

    private static int zone(CharSequence s, int p, Match m) {
        int n = s.length();
        int q = p;
        if (q < n && s.charAt(q) == ' ') q++;
        if (q >= n) return p;
        char c = s.charAt(q);
        if (c == 'Z' && q == p) {
            return q + 1;
        }
        if (c >= 'A' && c <= 'Z') {
            int e = q;
            while (e < n && e - q < 6 && s.charAt(e) >= 'A' && s.charAt(e) <= 'Z') e++;
            if (e - q < 3 || (e < n && Character.isLetterOrDigit(s.charAt(e)))) return p;
            Integer offset = ZoneAbbreviations.offsetSeconds(s.subSequence(q, e).toString());
            if (offset == null) return p;
            m.offsetSeconds = offset;
            return e;
        }
        if (c != '+' && c != '-') return p;
        int hh = digits(s, q + 1, 2);
        if (hh < 0 || hh > 14) return p;
        int r = q + 3;
        if (r < n && s.charAt(r) == ':') r++;
        int mm = digits(s, r, 2);
        if (mm < 0 || mm > 59) {
            if (r == q + 3) { // "+01"
                m.offsetSeconds = (c == '-' ? -1 : 1) * hh * 3600;
                return q + 3;
            }
            return p;
        }
        m.offsetSeconds = (c == '-' ? -1 : 1) * (hh * 3600 + mm * 60);
        return r + 2;
    }

    private static long toEpochMillis(Match m, long referenceMillis) {
        long refDay = Math.floorDiv(referenceMillis, 86_400_000L);
        m.dateFromReference = !m.hasDate || !m.hasYear;
        long secondsOfDay = m.hour * 3600L + m.minute * 60L + m.second;
        long millisOfSecond = m.nanos / 1_000_000;
        if (!m.hasDate) {
            // time only: the reference's day, or the day before when that puts it in the future
            long millis = refDay * 86_400_000L + secondsOfDay * 1000 + millisOfSecond - m.offsetSeconds * 1000L;
            return millis > referenceMillis + 3_600_000L ? millis - 86_400_000L : millis;
        }
        int year = m.year;
        if (!m.hasYear) {
            int refYear = civilYear(refDay);
            year = refYear;
            long candidate = daysFromCivil(year, m.month, m.day);
            if (candidate > refDay + 1) year--; // "Dec 31" read on Jan 1
        } else if (m.twoDigitYear) {
            year = 2000 + m.year;
        }
        long days = daysFromCivil(year, m.month, m.day);
        return (days * 86_400L + secondsOfDay - m.offsetSeconds) * 1000L + millisOfSecond;
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
    static long daysFromCivil(int y, int m, int d) {
        y -= m <= 2 ? 1 : 0;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097 + doe - 719_468;
    }

    static int civilYear(long days) {
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long month = mp < 10 ? mp + 3 : mp - 9;
        return (int) (yoe + era * 400 + (month <= 2 ? 1 : 0));
    }

    private static int digits(CharSequence s, int p, int count) {
        if (p + count > s.length()) return -1;
        int v = 0;
        for (int i = 0; i < count; i++) {
            char c = s.charAt(p + i);
            if (!isDigit(c)) return -1;
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static int digits1or2(CharSequence s, int p) {
        if (p >= s.length() || !isDigit(s.charAt(p))) return -1;
        int v = s.charAt(p) - '0';
        if (p + 1 < s.length() && isDigit(s.charAt(p + 1))) {
            v = v * 10 + (s.charAt(p + 1) - '0');
            if (p + 2 < s.length() && isDigit(s.charAt(p + 2))) return -1;
        }
        return v;
    }

    /**
     * Index of the month or weekday name at {@code p} (case-insensitive, any of the languages in
     * the table), or -1; {@code m.nameEnd} is set to the end of the word (and its dot). Words whose
     * first two letters start no known name are refused before any allocation.
     */
    private static int name(CharSequence s, int p, java.util.Map<String, Integer> names, Match m) {
        int n = s.length();
        if (p + 1 >= n || !NAME_PREFIXES.get(prefixHash(s.charAt(p), s.charAt(p + 1)))) return -1;
        int q = p;
        while (q < n && Character.isLetter(s.charAt(q)) && q - p < 14) q++;
        int len = q - p;
        if (len < 2) return -1;
        String word = s.subSequence(p, q).toString().toLowerCase(java.util.Locale.ROOT);
        Integer index = names.get(word);
        if (index == null && len > 4) index = names.get(word.substring(0, 4));
        if (index == null && len > 3) index = names.get(word.substring(0, 3));
        if (index == null) return -1;
        m.nameEnd = q < n && s.charAt(q) == '.' ? q + 1 : q;
        return index;
    }

    private static final java.util.BitSet NAME_PREFIXES = new java.util.BitSet(1 << 16);

    static {
        for (String[][] table : new String[][][] {MONTH_NAMES, WEEKDAY_NAMES}) {
            for (String[] names : table) {
                for (String name : names) NAME_PREFIXES.set(prefixHash(name.charAt(0), name.charAt(1)));
            }
        }
    }

    private static int prefixHash(char a, char b) {
        return (Character.toLowerCase(a) * 31 + Character.toLowerCase(b)) & 0xFFFF;
    }

    public static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
