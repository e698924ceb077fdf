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
 * compiles ({@link #field}, {@link #presence}); the first batch fixes them. When every path names fields of objects
 * ({@code $.page}, {@code $['person']['id']}) a row is read by a streaming parser straight from its UTF-8 bytes,
 * descending only into the objects that hold wanted fields and skipping the rest; otherwise it is read into a tree once
 * and each path looked up in it.
 *
 * <p>Each thread keeps the result of its last batch, so the fields of one batch share one parse; evaluators run on
 * several threads at once.
 */
final class JsonFieldReader {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Evaluator json;
    private final List<Wanted> paths = new ArrayList<>();
    private volatile Plan plan;
    /** Per thread: workers parse different batches at once, and a shared slot would make them evict each other. */
    private final ThreadLocal<Parsed> last = new ThreadLocal<>();

    JsonFieldReader(Evaluator json) {
        this.json = json;
    }

    /** The evaluator of one path: the value's text (JSON text for an object or array), null when absent or null. */
    Evaluator field(String path) {
        return add(path, false);
    }

    /**
     * The evaluator of whether a path holds a value: a non-null (empty) text where it holds one that is not JSON null,
     * null elsewhere. Cheaper than {@link #field} for an object, whose text need not be written out.
     */
    Evaluator presence(String path) {
        return add(path, true);
    }

    private Evaluator add(String path, boolean presence) {
        if (plan != null) {
            throw new IllegalStateException("a path was added after the first batch: " + path);
        }
        JsonFunctions.pointer(path); // refuse a bad path while compiling
        Wanted wanted = new Wanted(path, presence);
        int index = paths.indexOf(wanted);
        if (index < 0) {
            index = paths.size();
            paths.add(wanted);
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
                    if (plan.fields() != null) {
                        input.readBytes(
                                row, (bytes, offset, length) -> readFields(plan, bytes, offset, length, values));
                    } else {
                        JsonNode root = input.readBytes(row, JsonFieldReader::readTree);
                        for (int i = 0; i < count; i++) {
                            JsonNode node = root.at(plan.pointers()[i]);
                            values[i] = plan.presence()[i] ? present(node) : text(node);
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

    /** Reads the wanted fields of the object and of the objects in it into {@code values}; a root that is not an
     * object has none. */
    private static Void readFields(Plan plan, byte[] bytes, int offset, int length, String[] values) {
        try (JsonParser parser = JSON.createParser(bytes, offset, length)) {
            if (parser.nextToken() == JsonToken.START_OBJECT) {
                readObject(parser, plan.fields(), values);
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedParseException();
        }
    }

    /** Reads an object's fields, the parser just after its START_OBJECT, up to and with its END_OBJECT. */
    private static void readObject(JsonParser parser, FieldNode node, String[] values) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            FieldNode child = node.children().get(parser.currentName());
            JsonToken token = parser.nextToken();
            if (child == null) {
                parser.skipChildren();
                continue;
            }
            // A name given twice: the later value replaces all of the earlier one, as in a tree.
            for (int index : child.subtree()) {
                values[index] = null;
            }
            if (token == JsonToken.VALUE_NULL) {
                continue;
            }
            if (child.presence() >= 0) {
                values[child.presence()] = "";
            }
            if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                if (child.text() >= 0) {
                    // Its text is wanted too (rare): read it whole, then its fields from the tree.
                    JsonNode tree = parser.readValueAsTree();
                    values[child.text()] = tree.toString();
                    fromTree(tree, child, values);
                } else if (token == JsonToken.START_OBJECT && !child.children().isEmpty()) {
                    readObject(parser, child, values);
                } else {
                    parser.skipChildren();
                }
            } else if (child.text() >= 0) {
                values[child.text()] = parser.getText();
            }
        }
    }

    private static void fromTree(JsonNode object, FieldNode node, String[] values) {
        for (Map.Entry<String, FieldNode> entry : node.children().entrySet()) {
            JsonNode value = object.get(entry.getKey());
            if (value == null || value.isNull()) {
                continue;
            }
            FieldNode child = entry.getValue();
            if (child.presence() >= 0) {
                values[child.presence()] = "";
            }
            if (child.text() >= 0) {
                values[child.text()] = text(value);
            }
            fromTree(value, child, values);
        }
    }

    private static String present(JsonNode node) {
        return node.isMissingNode() || node.isNull() ? null : "";
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

    /** A path, and whether only its presence is wanted. */
    private record Wanted(String path, boolean presence) {}

    /** A field of the paths' objects: where its text and its presence go (-1: not wanted), and its own fields. */
    private record FieldNode(int text, int presence, Map<String, FieldNode> children, int[] subtree) {
        FieldNode {
            children = new HashMap<>(children);
        }
    }

    /**
     * The paths as pointers, which of them want presence only, and, when every path names fields of objects only
     * ({@code $.person.id}, not {@code $.items[0]}), the tree of those fields for the streaming parser.
     */
    private record Plan(JsonPointer[] pointers, boolean[] presence, FieldNode fields) {
        static Plan of(List<Wanted> paths) {
            JsonPointer[] pointers = new JsonPointer[paths.size()];
            boolean[] presence = new boolean[paths.size()];
            boolean onlyFields = true;
            List<List<String>> steps = new ArrayList<>();
            for (int i = 0; i < pointers.length; i++) {
                JsonPointer pointer = JsonFunctions.pointer(paths.get(i).path());
                pointers[i] = pointer;
                presence[i] = paths.get(i).presence();
                List<String> names = new ArrayList<>();
                for (JsonPointer step = pointer; !step.matches(); step = step.tail()) {
                    // A step that is a number may be an array index: only the tree lookup knows.
                    onlyFields &= step.getMatchingIndex() < 0;
                    names.add(step.getMatchingProperty());
                }
                onlyFields &= !names.isEmpty();
                steps.add(names);
            }
            return new Plan(pointers, presence, onlyFields ? tree(steps, presence) : null);
        }

        private static FieldNode tree(List<List<String>> steps, boolean[] presence) {
            Builder root = new Builder();
            for (int i = 0; i < steps.size(); i++) {
                Builder node = root;
                for (String name : steps.get(i)) {
                    node = node.children.computeIfAbsent(name, n -> new Builder());
                }
                if (presence[i]) {
                    node.presence = i;
                } else {
                    node.text = i;
                }
            }
            return root.build();
        }
    }

    private static final class Builder {
        final Map<String, Builder> children = new HashMap<>();
        int text = -1;
        int presence = -1;

        FieldNode build() {
            Map<String, FieldNode> built = new HashMap<>();
            List<Integer> subtree = new ArrayList<>();
            if (text >= 0) {
                subtree.add(text);
            }
            if (presence >= 0) {
                subtree.add(presence);
            }
            children.forEach((name, child) -> {
                FieldNode node = child.build();
                built.put(name, node);
                for (int index : node.subtree()) {
                    subtree.add(index);
                }
            });
            return new FieldNode(
                    text,
                    presence,
                    built,
                    subtree.stream().mapToInt(Integer::intValue).toArray());
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
