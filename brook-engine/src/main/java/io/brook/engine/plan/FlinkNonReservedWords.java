package io.brook.engine.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlShuttle;

/**
 * Words Calcite's parser reserves that Flink's lets name columns unquoted: {@code DATETIME} (a BigQuery type to
 * Calcite), so that the Nexmark suite's {@code B.dateTime} parses as Flink parses it. When a text does not parse, each
 * such word outside quotes and comments is replaced by a placeholder of the same length (so every position in the text,
 * and in error messages, stays where it was), and the placeholder names are put back in the parsed tree.
 */
final class FlinkNonReservedWords {
    private static final Set<String> WORDS = Set.of("DATETIME");

    /** A text with its non-reserved words masked, and the word each placeholder stands for. */
    record Masked(String text, Map<String, String> originals) {
        boolean changed() {
            return !originals.isEmpty();
        }

        /** Puts the words back in the identifiers of a tree parsed from the masked text. */
        SqlNode restore(SqlNode node) {
            if (!changed()) {
                return node;
            }
            return node.accept(new SqlShuttle() {
                @Override
                public SqlNode visit(SqlIdentifier identifier) {
                    List<String> names = new ArrayList<>(identifier.names);
                    boolean replaced = false;
                    for (int i = 0; i < names.size(); i++) {
                        String original = originals.get(names.get(i));
                        if (original != null) {
                            names.set(i, original);
                            replaced = true;
                        }
                    }
                    if (!replaced) {
                        return identifier;
                    }
                    List<SqlParserPos> positions = new ArrayList<>();
                    for (int i = 0; i < names.size(); i++) {
                        positions.add(identifier.getComponentParserPosition(i));
                    }
                    identifier.setNames(names, positions);
                    return identifier;
                }
            });
        }
    }

    private FlinkNonReservedWords() {}

    static Masked mask(String text) {
        StringBuilder out = new StringBuilder(text);
        Map<String, String> originals = new HashMap<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\'' || c == '`' || c == '"') {
                i = KeywordColumns.closing(text, i, c);
            } else if (text.startsWith("--", i)) {
                int end = text.indexOf('\n', i);
                i = end < 0 ? text.length() : end;
            } else if (text.startsWith("/*", i)) {
                int end = text.indexOf("*/", i + 2);
                i = end < 0 ? text.length() : end + 2;
            } else if (Character.isLetter(c) || c == '_') {
                int end = i + 1;
                while (end < text.length()
                        && (Character.isLetterOrDigit(text.charAt(end))
                                || text.charAt(end) == '_'
                                || text.charAt(end) == '$')) {
                    end++;
                }
                String word = text.substring(i, end);
                if (WORDS.contains(word.toUpperCase(Locale.ROOT))) {
                    // Same length, an identifier, no keyword: the word with its last letter made '_'.
                    String placeholder = word.substring(0, word.length() - 1) + "_";
                    originals.put(placeholder, word);
                    out.replace(i, end, placeholder);
                }
                i = end;
            } else {
                i++;
            }
        }
        return new Masked(out.toString(), originals);
    }
}
