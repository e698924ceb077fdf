package io.brook.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlScriptTest {
    @Test
    void aStatementIsCompleteAtASemicolonOutsideStringsAndComments() {
        assertThat(SqlScript.isComplete("SELECT 1;")).isTrue();
        assertThat(SqlScript.isComplete("SELECT 1; -- done\n")).isTrue();
        assertThat(SqlScript.isComplete("SHOW SOURCES;\nSELECT\n  1 ;  ")).isTrue();
        assertThat(SqlScript.isComplete("")).isTrue();
        assertThat(SqlScript.isComplete("  -- only a comment")).isTrue();
    }

    @Test
    void aStatementContinuesWithoutItsSemicolonOrInsideAStringOrComment() {
        assertThat(SqlScript.isComplete("SELECT 1")).isFalse();
        assertThat(SqlScript.isComplete("SELECT ';")).isFalse();
        assertThat(SqlScript.isComplete("SELECT 'it''s;")).isFalse();
        assertThat(SqlScript.isComplete("SELECT `a;")).isFalse();
        assertThat(SqlScript.isComplete("SELECT 1 /* ; */")).isFalse();
        assertThat(SqlScript.isComplete("SELECT 1 /* ;")).isFalse();
        assertThat(SqlScript.isComplete("SELECT 1; SELECT 2")).isFalse();
    }
}
