package io.brook.engine.exec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.brook.engine.batch.Batch;
import io.brook.engine.batch.Column;
import io.brook.engine.batch.ColumnType;
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
        return add(path, ColumnType.VARCHAR);
    }

    /**
     * The evaluator of {@code CAST(get_json_object(json, path) AS type)} that reads the value straight from its token,
     * where the text would be made and then parsed; see {@link JsonFieldSlot#readsTyped} for the types.
     */
    Evaluator typed(String path, ColumnType type) {
        if (!JsonFieldSlot.readsTyped(type)) {
            throw new IllegalArgumentException("JSON fields are not read as " + type);
        }
        return add(path, type);
    }

    /**
     * The evaluator of whether a path holds a value: a non-null (empty) text where it holds one that is not JSON null,
     * null elsewhere. Cheaper than {@link #field} for an object, whose text need not be written out.
     */
    Evaluator presence(String path) {
        return add(path, null);
    }

    /** A path read as {@code type} (null: presence only). */
    private Evaluator add(String path, ColumnType type) {
        if (plan != null) {
            throw new IllegalStateException("a path was added after the first batch: " + path);
        }
        JsonFunctions.pointer(path); // refuse a bad path while compiling
        Wanted wanted = new Wanted(path, type);
        int index = paths.indexOf(wanted);
        if (index < 0) {
            index = paths.size();
            paths.add(wanted);
        }
        int field = index;
        return batch -> columns(batch)[field];
    }

    private Column[] columns(Batch batch) {
        Parsed parsed = last.get();
        if (parsed != null && parsed.batch() == batch) {
            return parsed.columns();
        }
        Column[] columns = parse(plan(), (VarcharColumn) json.evaluate(batch));
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

    private static Column[] parse(Plan plan, VarcharColumn input) {
        int count = plan.pointers().length;
        JsonFieldSlot[] slots = new JsonFieldSlot[count];
        for (int i = 0; i < count; i++) {
            slots[i] = JsonFieldSlot.of(plan.types()[i], input.size());
        }
        FieldOrder[] orders = new FieldOrder[plan.nodes()];
        for (int i = 0; i < orders.length; i++) {
            orders[i] = new FieldOrder();
        }
        for (int row = 0; row < input.size(); row++) {
            if (!input.isNull(row)) {
                try {
                    if (plan.fields() != null) {
                        input.readBytes(
                                row, (bytes, offset, length) -> readFields(plan, bytes, offset, length, slots, orders));
                    } else {
                        JsonNode root = input.readBytes(row, JsonFieldReader::readTree);
                        for (int i = 0; i < count; i++) {
                            JsonNode node = root.at(plan.pointers()[i]);
                            if (!node.isMissingNode() && !node.isNull()) {
                                slots[i].text(plan.types()[i] == null ? "" : text(node));
                            }
                        }
                    }
                } catch (UncheckedParseException e) {
                    for (JsonFieldSlot slot : slots) {
                        slot.clear(); // text that is not JSON has no fields, as in Spark
                    }
                }
            }
            for (JsonFieldSlot slot : slots) {
                slot.endRow();
            }
        }
        Column[] columns = new Column[count];
        for (int i = 0; i < count; i++) {
            columns[i] = slots[i].build();
        }
        return columns;
    }

    /** Reads the wanted fields of the object and of the objects in it into {@code values}; a root that is not an
     * object has none. */
    private static Void readFields(
            Plan plan, byte[] bytes, int offset, int length, JsonFieldSlot[] values, FieldOrder[] orders) {
        try (JsonParser parser = JSON.createParser(bytes, offset, length)) {
            if (parser.nextToken() == JsonToken.START_OBJECT) {
                readObject(parser, plan.fields(), values, orders);
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedParseException();
        }
    }

    /**
     * Reads an object's fields, the parser just after its START_OBJECT, up to and with its END_OBJECT. Each name is
     * first matched against the name the previous row had at the same place (its bytes compared in the parser's
     * buffer), since records of one stream mostly list their fields in one order; only a mismatch looks the name up.
     */
    private static void readObject(JsonParser parser, FieldNode node, JsonFieldSlot[] values, FieldOrder[] orders)
            throws IOException {
        FieldOrder order = orders[node.id()];
        for (int place = 0; ; place++) {
            SerializedString expected = order.nameAt(place);
            FieldNode child;
            if (expected != null && parser.nextFieldName(expected)) {
                child = order.childAt(place);
            } else {
                if (expected == null
                        ? parser.nextToken() != JsonToken.FIELD_NAME
                        : !parser.hasToken(JsonToken.FIELD_NAME)) {
                    return;
                }
                String name = parser.currentName();
                child = node.children().get(name);
                order.learn(place, name, child);
            }
            JsonToken token = parser.nextToken();
            if (child == null) {
                parser.skipChildren();
                continue;
            }
            // A name given twice: the later value replaces all of the earlier one, as in a tree.
            for (int index : child.subtree()) {
                values[index].clear();
            }
            if (token == JsonToken.VALUE_NULL) {
                continue;
            }
            if (child.presence() >= 0) {
                values[child.presence()].present();
            }
            if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                if (child.values().length > 0) {
                    // Its text is wanted too (rare): read it whole, then its fields from the tree.
                    JsonNode tree = parser.readValueAsTree();
                    String text = tree.toString();
                    for (int index : child.values()) {
                        values[index].text(text);
                    }
                    fromTree(tree, child, values);
                } else if (token == JsonToken.START_OBJECT && !child.children().isEmpty()) {
                    readObject(parser, child, values, orders);
                } else {
                    parser.skipChildren();
                }
            } else {
                for (int index : child.values()) {
                    values[index].scalar(parser, token);
                }
            }
        }
    }

    private static void fromTree(JsonNode object, FieldNode node, JsonFieldSlot[] values) {
        for (Map.Entry<String, FieldNode> entry : node.children().entrySet()) {
            JsonNode value = object.get(entry.getKey());
            if (value == null || value.isNull()) {
                continue;
            }
            FieldNode child = entry.getValue();
            if (child.presence() >= 0) {
                values[child.presence()].present();
            }
            for (int index : child.values()) {
                values[index].text(text(value));
            }
            fromTree(value, child, values);
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
        return node.isValueNode() ? node.asText() : node.toString();
    }

    /** A path, and the type it is read as (VARCHAR for its text; null when only its presence is wanted). */
    private record Wanted(String path, ColumnType type) {}

    /**
     * A field of the paths' objects: where its value goes (as text, or as each type it is read as), where its presence
     * goes (-1: not wanted), and its own fields.
     */
    private record FieldNode(int id, int[] values, int presence, Map<String, FieldNode> children, int[] subtree) {
        FieldNode {
            children = new HashMap<>(children);
        }
    }

    /**
     * The paths as pointers, which of them want presence only, and, when every path names fields of objects only
     * ({@code $.person.id}, not {@code $.items[0]}), the tree of those fields for the streaming parser.
     */
    private record Plan(JsonPointer[] pointers, ColumnType[] types, FieldNode fields, int nodes) {
        static Plan of(List<Wanted> paths) {
            JsonPointer[] pointers = new JsonPointer[paths.size()];
            ColumnType[] types = new ColumnType[paths.size()];
            boolean onlyFields = true;
            List<List<String>> steps = new ArrayList<>();
            for (int i = 0; i < pointers.length; i++) {
                JsonPointer pointer = JsonFunctions.pointer(paths.get(i).path());
                pointers[i] = pointer;
                types[i] = paths.get(i).type();
                List<String> names = new ArrayList<>();
                for (JsonPointer step = pointer; !step.matches(); step = step.tail()) {
                    // A step that is a number may be an array index: only the tree lookup knows.
                    onlyFields &= step.getMatchingIndex() < 0;
                    names.add(step.getMatchingProperty());
                }
                onlyFields &= !names.isEmpty();
                steps.add(names);
            }
            if (!onlyFields) {
                return new Plan(pointers, types, null, 0);
            }
            int[] nodes = {0};
            FieldNode fields = tree(steps, types).build(nodes);
            return new Plan(pointers, types, fields, nodes[0]);
        }

        private static Builder tree(List<List<String>> steps, ColumnType[] types) {
            Builder root = new Builder();
            for (int i = 0; i < steps.size(); i++) {
                Builder node = root;
                for (String name : steps.get(i)) {
                    node = node.children.computeIfAbsent(name, n -> new Builder());
                }
                if (types[i] == null) {
                    node.presence = i;
                } else {
                    node.values.add(i);
                }
            }
            return root;
        }
    }

    private static final class Builder {
        final Map<String, Builder> children = new HashMap<>();
        final List<Integer> values = new ArrayList<>();
        int presence = -1;

        /** The node and its children, numbered from {@code nodes[0]} on, which ends past the last. */
        FieldNode build(int[] nodes) {
            int id = nodes[0]++;
            Map<String, FieldNode> built = new HashMap<>();
            List<Integer> subtree = new ArrayList<>(values);
            if (presence >= 0) {
                subtree.add(presence);
            }
            children.forEach((name, child) -> {
                FieldNode node = child.build(nodes);
                built.put(name, node);
                for (int index : node.subtree()) {
                    subtree.add(index);
                }
            });
            return new FieldNode(
                    id,
                    values.stream().mapToInt(Integer::intValue).toArray(),
                    presence,
                    built,
                    subtree.stream().mapToInt(Integer::intValue).toArray());
        }
    }

    /**
     * The names one object of a batch had, place by place, in the row read last, with the wanted field of each (null:
     * not wanted); one per node and batch, as batches are read on several threads.
     */
    private static final class FieldOrder {
        /** Objects with more fields than this are matched by lookup past it. */
        private static final int MAX_PLACES = 64;

        private SerializedString[] names = new SerializedString[8];
        private FieldNode[] children = new FieldNode[8];

        SerializedString nameAt(int place) {
            return place < names.length ? names[place] : null;
        }

        FieldNode childAt(int place) {
            return children[place];
        }

        void learn(int place, String name, FieldNode child) {
            if (place >= MAX_PLACES) {
                return;
            }
            if (place >= names.length) {
                names = Arrays.copyOf(names, Math.min(MAX_PLACES, names.length * 2));
                children = Arrays.copyOf(children, names.length);
            }
            names[place] = new SerializedString(name);
            children[place] = child;
        }
    }

    private record Parsed(Batch batch, Column[] columns) {}

    /** Malformed JSON in a row: its fields are all null. */
    private static final class UncheckedParseException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UncheckedParseException() {
            super(null, null, false, false);
        }
    }
}
