package io.ringkv.checker.report;

import io.ringkv.checker.Verdict;

/** Small helpers to write HTML by hand without forgetting to escape. */
final class Html {

    private Html() {
    }

    static String escape(Object o) {
        String s = String.valueOf(o);
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** A coloured verdict badge. */
    static String badge(Verdict v) {
        return "<span class=\"verdict " + v.name().toLowerCase(java.util.Locale.ROOT) + "\">" + v.name() + "</span>";
    }

    /** A table row of escaped cells; a cell already holding HTML is passed through {@link Raw}. */
    static String row(Object... cells) {
        StringBuilder b = new StringBuilder("<tr>");
        for (Object c : cells) {
            b.append("<td>").append(c instanceof Raw ? ((Raw) c).html() : escape(c)).append("</td>");
        }
        return b.append("</tr>\n").toString();
    }

    /** HTML that must not be escaped again. */
    record Raw(String html) {
    }

    /** At most {@code max} items, then how many more. */
    static String firstFew(java.util.List<?> items, int max) {
        if (items.size() <= max) {
            return String.join(", ", items.stream().map(String::valueOf).toList());
        }
        return String.join(", ", items.subList(0, max).stream().map(String::valueOf).toList()) + " and "
                + (items.size() - max) + " more";
    }
}
