package io.brook.engine.connector.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.connector.file.FileOptions.ParseMode;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FileOptionsTest {
    @Test
    void defaultsAreSparks() {
        // When
        FileOptions options = FileOptions.forRead(FileFormat.CSV, Map.of());

        // Then
        assertThat(options)
                .isEqualTo(new FileOptions(
                        FileFormat.CSV,
                        ParseMode.PERMISSIVE,
                        false,
                        ',',
                        '"',
                        false,
                        "",
                        Optional.empty(),
                        false,
                        Optional.empty(),
                        "snappy",
                        false,
                        Optional.empty()));
    }

    @Test
    void keysMatchInAnyCase() {
        // When
        FileOptions options = FileOptions.forRead(
                FileFormat.CSV,
                Map.of("HEADER", "True", "Delimiter", "\\t", "maxfilespertrigger", "3", "LATESTFIRST", "true"));

        // Then
        assertThat(options.header()).isTrue();
        assertThat(options.separator()).isEqualTo('\t');
        assertThat(options.maxFilesPerTrigger()).contains(3L);
        assertThat(options.latestFirst()).isTrue();
    }

    @Test
    void anUnknownKeyIsRefusedNamingTheClosestKnownOne() {
        // When / Then
        assertThatThrownBy(() -> FileOptions.forRead(FileFormat.CSV, Map.of("hedaer", "true")))
                .isInstanceOf(BrookException.class)
                .hasMessage("unknown option 'hedaer' for the csv source; did you mean 'header'? (it takes delimiter,"
                        + " header, inferSchema, latestFirst, maxFilesPerTrigger, mode, nullValue, path, quote, sep)")
                .extracting(e -> ((BrookException) e).errorCode())
                .isEqualTo(ErrorCode.INVALID_OPTION);
        assertThatThrownBy(() -> FileOptions.forRead(FileFormat.JSON, Map.of("header", "true")))
                .hasMessage("unknown option 'header' for the json source (it takes latestFirst, maxFilesPerTrigger,"
                        + " mode, path)");
        assertThatThrownBy(() -> FileOptions.forWrite(FileFormat.JSON, Map.of("checkpointLocaton", "x"), Set.of()))
                .hasMessageStartingWith("unknown option 'checkpointLocaton' for the json sink; did you mean"
                        + " 'checkpointLocation'?");
    }

    @Test
    void badValuesSayWhatIsAllowed() {
        assertThatThrownBy(() -> FileOptions.forRead(FileFormat.JSON, Map.of("mode", "lenient")))
                .hasMessage("option mode must be PERMISSIVE, DROPMALFORMED or FAILFAST; got 'lenient'");
        assertThatThrownBy(() -> FileOptions.forRead(FileFormat.CSV, Map.of("sep", "::")))
                .hasMessage("option sep must be one character other than a line break; got '::'");
        assertThatThrownBy(() -> FileOptions.forRead(FileFormat.CSV, Map.of("header", "yes")))
                .hasMessage("option header must be true or false; got 'yes'");
        assertThatThrownBy(() -> FileOptions.forRead(FileFormat.CSV, Map.of("maxFilesPerTrigger", "0")))
                .hasMessage("maxFilesPerTrigger must be a whole number > 0; got '0'");
    }
}
