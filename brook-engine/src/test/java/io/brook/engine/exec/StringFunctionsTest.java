package io.brook.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.engine.batch.Batch;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.IntColumn;
import io.brook.engine.batch.Schema;
import io.brook.engine.batch.VarcharColumn;
import java.util.Arrays;
import org.apache.calcite.sql.fun.SqlLibraryOperators;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.fun.SqlTrimFunction;
import org.junit.jupiter.api.Test;

/** String functions with Spark's semantics: code points counted, 1-based positions, null in and null out. */
class StringFunctionsTest {
    private static final Schema SCHEMA =
            Schema.of(new Field("s", ColumnType.VARCHAR, true), new Field("n", ColumnType.INT, true));

    private static final ExpressionHarness TABLE = new ExpressionHarness(Batch.of(
            SCHEMA,
            VarcharColumn.of("Hello World", "  padded  ", "ünïcode", null, "", "a_b%c"),
            IntColumn.builder(ColumnType.INT, 6)
                    .append(1)
                    .append(2)
                    .append(3)
                    .append(4)
                    .appendNull()
                    .append(6)
                    .build()));

    @Test
    void lowerUpperAndInitcapChangeCaseOfAsciiAndOtherLetters() {
        // When
        var lower = TABLE.values(b -> b.call(SqlStdOperatorTable.LOWER, b.field("s")));
        var upper = TABLE.values(b -> b.call(SqlStdOperatorTable.UPPER, b.field("s")));
        var initcap = TABLE.values(b -> b.call(SqlStdOperatorTable.INITCAP, b.field("s")));

        // Then
        assertThat(lower).containsExactly("hello world", "  padded  ", "ünïcode", null, "", "a_b%c");
        assertThat(upper).containsExactly("HELLO WORLD", "  PADDED  ", "ÜNÏCODE", null, "", "A_B%C");
        assertThat(initcap).containsExactly("Hello World", "  Padded  ", "Ünïcode", null, "", "A_b%c");
    }

    @Test
    void substringCountsCodePointsFromOneAndNegativeStartsFromTheEnd() {
        // When
        var middle = TABLE.values(b -> b.call(SqlStdOperatorTable.SUBSTRING, b.field("s"), b.literal(2), b.literal(3)));
        var tail = TABLE.values(b -> b.call(SqlStdOperatorTable.SUBSTRING, b.field("s"), b.literal(-4)));
        var fromZero =
                TABLE.values(b -> b.call(SqlStdOperatorTable.SUBSTRING, b.field("s"), b.literal(0), b.literal(2)));

        // Then
        assertThat(middle).containsExactly("ell", " pa", "nïc", null, "", "_b%");
        assertThat(tail).containsExactly("orld", "ed  ", "code", null, "", "_b%c");
        assertThat(fromZero).containsExactly("He", "  ", "ün", null, "", "a_");
    }

    @Test
    void lengthCountsCodePointsNotBytes() {
        // When
        var charLength = TABLE.values(b -> b.call(SqlStdOperatorTable.CHAR_LENGTH, b.field("s")));
        var length = TABLE.values(b -> b.call(SqlLibraryOperators.LENGTH, b.field("s")));

        // Then
        assertThat(charLength).containsExactly(11, 10, 7, null, 0, 5);
        assertThat(length).isEqualTo(charLength);
    }

    @Test
    void trimRemovesTheGivenCharactersFromTheChosenEnds() {
        // When
        var both = TABLE.values(b ->
                b.call(SqlStdOperatorTable.TRIM, b.literal(SqlTrimFunction.Flag.BOTH), b.literal(" "), b.field("s")));
        var leading = TABLE.values(b -> b.call(
                SqlStdOperatorTable.TRIM, b.literal(SqlTrimFunction.Flag.LEADING), b.literal(" "), b.field("s")));
        var trailing = TABLE.values(b -> b.call(
                SqlStdOperatorTable.TRIM, b.literal(SqlTrimFunction.Flag.TRAILING), b.literal(" "), b.field("s")));
        var letters = TABLE.values(b -> b.call(
                SqlStdOperatorTable.TRIM, b.literal(SqlTrimFunction.Flag.BOTH), b.literal("Hdüe"), b.field("s")));
        var ltrim = TABLE.values(b -> b.call(SqlLibraryOperators.LTRIM, b.field("s")));
        var rtrim = TABLE.values(b -> b.call(SqlLibraryOperators.RTRIM, b.field("s")));

        // Then
        assertThat(both).containsExactly("Hello World", "padded", "ünïcode", null, "", "a_b%c");
        assertThat(leading).containsExactly("Hello World", "padded  ", "ünïcode", null, "", "a_b%c");
        assertThat(trailing).containsExactly("Hello World", "  padded", "ünïcode", null, "", "a_b%c");
        assertThat(letters).containsExactly("llo Worl", "  padded  ", "nïco", null, "", "a_b%c");
        assertThat(ltrim).isEqualTo(leading);
        assertThat(rtrim).isEqualTo(trailing);
    }

    @Test
    void concatIsNullWhenAnyOperandIsAndCastsNumbers() {
        // When
        var pipes = TABLE.values(b -> b.call(SqlStdOperatorTable.CONCAT, b.field("s"), b.literal("!")));
        var function = TABLE.values(
                b -> b.call(SqlLibraryOperators.CONCAT_FUNCTION, b.field("s"), b.literal("#"), b.field("n")));

        // Then
        assertThat(pipes).containsExactly("Hello World!", "  padded  !", "ünïcode!", null, "!", "a_b%c!");
        assertThat(function).containsExactly("Hello World#1", "  padded  #2", "ünïcode#3", null, null, "a_b%c#6");
    }

    @Test
    void likeMatchesPrefixesSuffixesSubstringsAndWildcards() {
        // When
        var prefix = TABLE.values(b -> b.call(SqlStdOperatorTable.LIKE, b.field("s"), b.literal("Hello%")));
        var suffix = TABLE.values(b -> b.call(SqlStdOperatorTable.LIKE, b.field("s"), b.literal("%code")));
        var inside = TABLE.values(b -> b.call(SqlStdOperatorTable.LIKE, b.field("s"), b.literal("%dd%")));
        var wildcards = TABLE.values(b -> b.call(SqlStdOperatorTable.LIKE, b.field("s"), b.literal("_n_c%")));
        var exact = TABLE.values(b -> b.call(SqlStdOperatorTable.LIKE, b.field("s"), b.literal("")));
        var notLike = TABLE.values(b -> b.call(SqlStdOperatorTable.NOT_LIKE, b.field("s"), b.literal("%o%")));
        var ilike = TABLE.values(b -> b.call(SqlLibraryOperators.ILIKE, b.field("s"), b.literal("hello w%")));

        // Then
        assertThat(prefix).containsExactly(true, false, false, null, false, false);
        assertThat(suffix).containsExactly(false, false, true, null, false, false);
        assertThat(inside).containsExactly(false, true, false, null, false, false);
        assertThat(wildcards).containsExactly(false, false, true, null, false, false);
        assertThat(exact).containsExactly(false, false, false, null, true, false);
        assertThat(notLike).containsExactly(false, true, false, null, true, true);
        assertThat(ilike).containsExactly(true, false, false, null, false, false);
    }

    @Test
    void anEscapedWildcardInALikePatternMatchesOnlyItself() {
        // Given
        ExpressionHarness table = new ExpressionHarness(Batch.of(
                Schema.of(new Field("s", ColumnType.VARCHAR, true)),
                VarcharColumn.of("a_b%c", "axbyc", "a_b%%c", null)));

        // When
        var escaped = table.values(
                b -> b.call(SqlStdOperatorTable.LIKE, b.field("s"), b.literal("a\\_b\\%c"), b.literal("\\")));
        var unescaped = table.values(b -> b.call(SqlStdOperatorTable.LIKE, b.field("s"), b.literal("a_b%c")));

        // Then
        assertThat(escaped).containsExactly(true, false, false, null);
        assertThat(unescaped).containsExactly(true, true, true, null);
    }

    @Test
    void regexpExtractReturnsTheGroupOfTheFirstMatchOrEmpty() {
        // When
        var second = TABLE.values(
                b -> b.call(BrookOperators.REGEXP_EXTRACT, b.field("s"), b.literal("(\\w)(\\w+)"), b.literal(2)));
        var whole = TABLE.values(
                b -> b.call(BrookOperators.REGEXP_EXTRACT, b.field("s"), b.literal("[a-z]+ "), b.literal(0)));
        var firstByDefault = TABLE.values(b -> b.call(BrookOperators.REGEXP_EXTRACT, b.field("s"), b.literal("l+(o)")));

        // Then
        // Java's \w is ASCII: in "ünïcode" the first two word characters in a row start "code".
        assertThat(second).containsExactly("ello", "added", "ode", null, "", "_b");
        assertThat(whole).containsExactly("ello ", "padded ", "", null, "", "");
        assertThat(firstByDefault).containsExactly("o", "", "", null, "", "");
    }

    @Test
    void regexpExtractOfAGroupTheRegexLacksIsAMistake() {
        // When, Then
        assertThatThrownBy(() -> TABLE.values(
                        b -> b.call(BrookOperators.REGEXP_EXTRACT, b.field("s"), b.literal("(l+)"), b.literal(2))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("REGEXP_EXTRACT: regex '(l+)' has 1 groups; the group index must be 0 to 1, was 2");
    }

    @Test
    void replaceAndRegexpReplaceSubstituteEveryOccurrence() {
        // When
        var replaced =
                TABLE.values(b -> b.call(SqlStdOperatorTable.REPLACE, b.field("s"), b.literal("l"), b.literal("L")));
        var emptySearch =
                TABLE.values(b -> b.call(SqlStdOperatorTable.REPLACE, b.field("s"), b.literal(""), b.literal("x")));
        var regex = TABLE.values(b ->
                b.call(SqlLibraryOperators.REGEXP_REPLACE_3, b.field("s"), b.literal("([aeiou])"), b.literal("<$1>")));

        // Then
        assertThat(replaced).containsExactly("HeLLo WorLd", "  padded  ", "ünïcode", null, "", "a_b%c");
        assertThat(emptySearch).containsExactly("Hello World", "  padded  ", "ünïcode", null, "", "a_b%c");
        assertThat(regex).containsExactly("H<e>ll<o> W<o>rld", "  p<a>dd<e>d  ", "ünïc<o>d<e>", null, "", "<a>_b%c");
    }

    @Test
    void positionAndInstrCountCodePointsFromOneAndZeroForNotFound() {
        // When
        var position = TABLE.values(b -> b.call(SqlStdOperatorTable.POSITION, b.literal("d"), b.field("s")));
        var from = TABLE.values(b -> b.call(SqlStdOperatorTable.POSITION, b.literal("d"), b.field("s"), b.literal(6)));
        var instr = TABLE.values(b -> b.call(SqlLibraryOperators.INSTR, b.field("s"), b.literal("co")));

        // Then
        assertThat(position).containsExactly(11, 5, 6, null, 0, 0);
        assertThat(from).containsExactly(11, 6, 6, null, 0, 0);
        assertThat(instr).containsExactly(0, 0, 4, null, 0, 0);
    }

    @Test
    void startsWithAndEndsWithCompareBytes() {
        // When
        var starts = TABLE.values(b -> b.call(SqlLibraryOperators.STARTS_WITH, b.field("s"), b.literal("ün")));
        var ends = TABLE.values(b -> b.call(SqlLibraryOperators.ENDS_WITH, b.field("s"), b.literal("  ")));

        // Then
        assertThat(starts).containsExactly(false, false, true, null, false, false);
        assertThat(ends).isEqualTo(Arrays.asList(false, true, false, null, false, false));
    }
}
