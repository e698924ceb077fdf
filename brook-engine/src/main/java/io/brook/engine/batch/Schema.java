package io.brook.engine.batch;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The fields of a batch, in column order; names are unique. */
public record Schema(List<Field> fields) {
    public Schema {
        fields = List.copyOf(fields);
        Set<String> names = new HashSet<>();
        for (Field field : fields) {
            if (!names.add(field.name())) {
                throw new IllegalArgumentException("duplicate column name '" + field.name() + "' in " + fields);
            }
        }
    }

    public static Schema of(Field... fields) {
        return new Schema(List.of(fields));
    }

    public int size() {
        return fields.size();
    }

    public Field field(int index) {
        return fields.get(index);
    }

    /** The index of a column by name. */
    public int indexOf(String name) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no column '" + name + "' among " + names());
    }

    public List<String> names() {
        return fields.stream().map(Field::name).toList();
    }
}
