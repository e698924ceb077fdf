package io.brook.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The subscription definitions, kept in {@code <dataDir>/push/subscriptions.json}: {@code {"version": 1,
 * "subscriptions": [{spec fields..., "state": "ACTIVE"}]}}. Each change rewrites the file whole through a temporary
 * file, fsynced and moved into place atomically, so a crash leaves the old or the new file, never half of one.
 * Delivery progress is not here: it is the subscription group's committed offsets in the broker.
 */
final class SubscriptionStore {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int VERSION = 1;

    private final Path file;

    SubscriptionStore(Path dataDir) {
        this.file = dataDir.resolve("push").resolve("subscriptions.json");
    }

    Path file() {
        return file;
    }

    /** A stored definition: the spec and whether it was paused. */
    record Stored(SubscriptionSpec spec, SubscriptionState state) {}

    List<Stored> load() throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        JsonNode root = MAPPER.readTree(file.toFile());
        if (root == null || root.path("version").asInt() != VERSION) {
            throw new IOException("push subscriptions file " + file + " is not version " + VERSION);
        }
        List<Stored> stored = new ArrayList<>();
        for (JsonNode node : root.path("subscriptions")) {
            SubscriptionSpec spec = new SubscriptionSpec(
                    node.path("name").asText(),
                    node.path("topic").asText(),
                    node.path("url").asText(),
                    node.path("batchMaxRecords").asInt(),
                    node.path("batchMaxWaitMs").asLong(),
                    node.path("maxAttempts").asInt(),
                    text(node, "deadLetterTopic"),
                    text(node, "secret"));
            stored.add(new Stored(
                    spec, SubscriptionState.valueOf(node.path("state").asText())));
        }
        return List.copyOf(stored);
    }

    void save(List<Stored> subscriptions) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("version", VERSION);
        ArrayNode array = root.putArray("subscriptions");
        for (Stored stored : subscriptions) {
            SubscriptionSpec spec = stored.spec();
            ObjectNode node = array.addObject();
            node.put("name", spec.name());
            node.put("topic", spec.topic());
            node.put("url", spec.url());
            node.put("batchMaxRecords", spec.batchMaxRecords());
            node.put("batchMaxWaitMs", spec.batchMaxWaitMs());
            node.put("maxAttempts", spec.maxAttempts());
            spec.deadLetterTopic().ifPresent(topic -> node.put("deadLetterTopic", topic));
            spec.secret().ifPresent(secret -> node.put("secret", secret));
            node.put("state", stored.state().name());
        }
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            byte[] bytes = MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
            Files.write(
                    temporary,
                    bytes,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            restrictToOwner(temporary);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write push subscriptions file " + file, e);
        }
    }

    /** The file holds HMAC secrets: only its owner may read it, where the file system knows owners. */
    private static void restrictToOwner(Path path) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: the directory's permissions guard it.
        }
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
    }
}
