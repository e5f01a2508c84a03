package dev.logai.flink.parse.text;

import java.util.HashMap;
import java.util.Map;

/**
 * Time-zone abbreviations as logs write them after a time ({@code 18:54:42 CET}), to UTC offsets.
 * Abbreviations are not unique worldwide: {@code IST} is India (+05:30), Ireland (+01:00) or
 * Israel (+02:00); {@code CST} is US Central (-06:00) or China (+08:00). The table takes the most
 * common reading (listed in {@code docs/formats.md}); a deployment where another reading is meant
 * sets {@code LOGAI_ZONE_ABBREVIATIONS}, e.g. {@code IST=+01:00,CST=+08:00} (read once at start).
 *
 * <p>Source of the offsets: the IANA tz database abbreviations (tzdata), standard and daylight
 * forms listed separately, since a log line names the one in force when it was written.
 */
public final class ZoneAbbreviations {
    private static final Map<String, Integer> OFFSETS = new HashMap<>();

    static {
        String[] table = {
            "UTC=+00:00",
            "GMT=+00:00",
            "UT=+00:00",
            "Z=+00:00",
            "WET=+00:00",
            "WEST=+01:00",
            "BST=+01:00",
            "CET=+01:00",
            "CEST=+02:00",
            "MET=+01:00",
            "MEST=+02:00",
            "MEZ=+01:00",
            "MESZ=+02:00",
            "EET=+02:00",
            "EEST=+03:00",
            "MSK=+03:00",
            "TRT=+03:00",
            "IST=+05:30",
            "PKT=+05:00",
            "ICT=+07:00",
            "WIB=+07:00",
            "SGT=+08:00",
            "HKT=+08:00",
            "AWST=+08:00",
            "PHT=+08:00",
            "JST=+09:00",
            "KST=+09:00",
            "ACST=+09:30",
            "ACDT=+10:30",
            "AEST=+10:00",
            "AEDT=+11:00",
            "NZST=+12:00",
            "NZDT=+13:00",
            "HST=-10:00",
            "AKST=-09:00",
            "AKDT=-08:00",
            "PST=-08:00",
            "PDT=-07:00",
            "MST=-07:00",
            "MDT=-06:00",
            "CST=-06:00",
            "CDT=-05:00",
            "EST=-05:00",
            "EDT=-04:00",
            "AST=-04:00",
            "ADT=-03:00",
            "NST=-03:30",
            "NDT=-02:30",
            "BRT=-03:00",
            "ART=-03:00",
            "SAST=+02:00",
            "CAT=+02:00",
            "EAT=+03:00",
            "WAT=+01:00"
        };
        for (String entry : table) put(entry);
        String overrides = System.getenv("LOGAI_ZONE_ABBREVIATIONS");
        if (overrides != null && !overrides.isBlank()) {
            for (String entry : overrides.split(",")) put(entry.strip());
        }
    }

    private ZoneAbbreviations() {}

    /** {@code "CET=+01:00"} into the table; malformed entries fail the start with a message naming them. */
    private static void put(String entry) {
        int eq = entry.indexOf('=');
        if (eq < 1 || entry.length() != eq + 7) {
            throw new IllegalArgumentException(
                    "LOGAI_ZONE_ABBREVIATIONS: expected ABBR=+hh:mm entries, got '" + entry + "'");
        }
        String offset = entry.substring(eq + 1);
        int sign = offset.charAt(0) == '-' ? -1 : 1;
        int hours = Integer.parseInt(offset.substring(1, 3));
        int minutes = Integer.parseInt(offset.substring(4, 6));
        OFFSETS.put(entry.substring(0, eq), sign * (hours * 3600 + minutes * 60));
    }

    /** The UTC offset in seconds of {@code abbreviation} (upper case), or null when unknown. */
    public static Integer offsetSeconds(String abbreviation) {
        return OFFSETS.get(abbreviation);
    }
}
