package io.brook.engine.exec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.brook.engine.batch.Batch;
import io.brook.engine.batch.VarcharColumn;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code get_json_object} calls of one compiled operator that read the same JSON text, as {@code from_json} makes
 * one per field: each row is parsed once for all their paths, not once per path. Paths are added while the operator
 * compiles ({@link #field}); the first batch fixes them. When every path names a field of the top-level object
 * ({@code $.page}, {@code $['page']}) a row is read by a streaming parser straight from its UTF-8 bytes, keeping only
 * those fields; otherwise it is read into a tree once and each path looked up in it.
 *
 * <p>Each thread keeps the result of its last batch, so the fields of one batch share one parse; evaluators run on
 * several threads at once.
 */
final class JsonFieldReader {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Evaluator json;
    private final List<String> paths = new ArrayList<>();
    private volatile Plan plan;
    /** Per thread: workers parse different batches at once, and a shared slot would make them evict each other. */
    private final ThreadLocal<Parsed> last = new ThreadLocal<>();

    JsonFieldReader(Evaluator json) {
        this.json = json;
    }

    /** The evaluator of one path: the value's text (JSON text for an object or array), null when absent or null. */
    Evaluator field(String path) {
        if (plan != null) {
            throw new IllegalStateException("a path was added after the first batch: " + path);
        }
        JsonFunctions.pointer(path); // refuse a bad path while compiling
        int index = paths.indexOf(path);
        if (index < 0) {
            index = paths.size();
            paths.add(path);
        }
        int field = index;
        return batch -> columns(batch)[field];
    }

    private VarcharColumn[] columns(Batch batch) {
        Parsed parsed = last.get();
        if (parsed != null && parsed.batch() == batch) {
            return parsed.columns();
        }
        VarcharColumn[] columns = parse(plan(), (VarcharColumn) json.evaluate(batch));
        last.set(new Parsed(batch, columns));
        return columns;
    }

    private Plan plan() {
        Plan current = plan;
        if (current == null) {
            current = Plan.of(paths);
            plan = current;
        }
        return current;
    }

    private static VarcharColumn[] parse(Plan plan, VarcharColumn input) {
        int count = plan.pointers().length;
        VarcharColumn.Builder[] builders = new VarcharColumn.Builder[count];
        for (int i = 0; i < count; i++) {
            builders[i] = VarcharColumn.builder(input.size());
        }
        String[] values = new String[count];
        for (int row = 0; row < input.size(); row++) {
            Arrays.fill(values, null);
            if (!input.isNull(row)) {
                try {
                    if (plan.topLevel() != null) {
                        input.readBytes(
                                row, (bytes, offset, length) -> readTopLevel(plan, bytes, offset, length, values));
                    } else {
                        JsonNode root = input.readBytes(row, JsonFieldReader::readTree);
                        for (int i = 0; i < count; i++) {
                            values[i] = text(root.at(plan.pointers()[i]));
                        }
                    }
                } catch (UncheckedParseException e) {
                    Arrays.fill(values, null); // text that is not JSON has no fields, as in Spark
                }
            }
            for (int i = 0; i < count; i++) {
                if (values[i] == null) {
                    builders[i].appendNull();
                } else {
                    builders[i].append(values[i]);
                }
            }
        }
        VarcharColumn[] columns = new VarcharColumn[count];
        for (int i = 0; i < count; i++) {
            columns[i] = builders[i].build();
        }
        return columns;
    }

    /** Reads the wanted fields of a top-level object into {@code values}; a root that is not an object has none. */
    private static Void readTopLevel(Plan plan, byte[] bytes, int offset, int length, String[] values) {
        try (JsonParser parser = JSON.createParser(bytes, offset, length)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                Integer index = plan.topLevel().get(parser.currentName());
                JsonToken token = parser.nextToken();
                if (index == null) {
                    parser.skipChildren();
                } else if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                    values[index] = parser.readValueAsTree().toString();
                } else {
                    values[index] = token == JsonToken.VALUE_NULL ? null : parser.getText();
                }
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedParseException();
        }
    }

    private static JsonNode readTree(byte[] bytes, int offset, int length) {
        try {
            JsonNode root = JSON.readTree(bytes, offset, length);
            return root == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : root;
        } catch (IOException e) {
            throw new UncheckedParseException();
        }
    }

    private static String text(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }

    /** The paths as pointers, and, when each names a top-level field, those names by path index. */
    private record Plan(JsonPointer[] pointers, Map<String, Integer> topLevel) {
        static Plan of(List<String> paths) {
            JsonPointer[] pointers = new JsonPointer[paths.size()];
            Map<String, Integer> topLevel = new HashMap<>();
            boolean allTopLevel = true;
            for (int i = 0; i < pointers.length; i++) {
                JsonPointer pointer = JsonFunctions.pointer(paths.get(i));
                pointers[i] = pointer;
                // One step that is not a number: a field of the top-level object (a number may be an array index).
                boolean field = !pointer.matches() && pointer.tail().matches() && pointer.getMatchingIndex() < 0;
                allTopLevel &= field && topLevel.putIfAbsent(pointer.getMatchingProperty(), i) == null;
            }
            return new Plan(pointers, allTopLevel ? Map.copyOf(topLevel) : null);
        }
    }

    private record Parsed(Batch batch, VarcharColumn[] columns) {}

    /** Malformed JSON in a row: its fields are all null. */
    private static final class UncheckedParseException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UncheckedParseException() {
            super(null, null, false, false);
        }
    }
}
