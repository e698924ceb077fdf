package io.brook.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code brook push}: create, list, describe, pause, resume and delete push subscriptions (webhooks) through the HTTP
 * API of a running {@code brook server}. A refused request prints the server's message and exits 1.
 */
@Command(
        name = "push",
        mixinStandardHelpOptions = true,
        description =
                "Manage push subscriptions: consumer groups that Brook drives itself, POSTing batches of a topic's"
                        + " records to a webhook (through `brook server`'s HTTP API).",
        subcommands = {
            PushCommand.Create.class,
            PushCommand.ListSubscriptions.class,
            PushCommand.Describe.class,
            PushCommand.Pause.class,
            PushCommand.Resume.class,
            PushCommand.Delete.class
        })
final class PushCommand implements Runnable {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String PATH = "/push/subscriptions";

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(
                spec.commandLine(), "Missing subcommand: create, list, describe, pause, resume or delete");
    }

    /** The {@code --server} option of every subcommand. */
    static final class ServerOption {
        @Option(
                names = "--server",
                paramLabel = "URL",
                defaultValue = "http://127.0.0.1:8080",
                description = "HTTP API of `brook server` (default: ${DEFAULT-VALUE}).")
        String server;
    }

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = "Create a subscription that POSTs the topic's new records to URL, in order per partition, at"
                    + " least once.")
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ServerOption server;

        @Parameters(paramLabel = "NAME", description = "Subscription name (its group is push.NAME).")
        String name;

        @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "Topic to deliver.")
        String topic;

        @Option(names = "--url", required = true, paramLabel = "URL", description = "Webhook to POST batches to.")
        String url;

        @Option(
                names = "--batch-max-records",
                paramLabel = "N",
                description = "Most records in one POST (default 100).")
        Integer batchMaxRecords;

        @Option(
                names = "--batch-max-wait",
                paramLabel = "MS",
                description = "Longest wait for a batch to fill, in ms (default 100).")
        Long batchMaxWaitMs;

        @Option(
                names = "--max-attempts",
                paramLabel = "N",
                description = "Attempts per batch before it goes to the dead-letter topic (default 8).")
        Integer maxAttempts;

        @Option(
                names = "--dead-letter-topic",
                paramLabel = "TOPIC",
                description = "Topic for batches that cannot be delivered; without one the subscription pauses.")
        String deadLetterTopic;

        @Option(
                names = "--secret",
                paramLabel = "SECRET",
                description = "Shared secret: each POST carries Brook-Signature, an HMAC-SHA256 of its body.")
        String secret;

        @Override
        public Integer call() {
            ObjectNode body = MAPPER.createObjectNode();
            body.put("name", name);
            body.put("topic", topic);
            body.put("url", url);
            if (batchMaxRecords != null) {
                body.put("batchMaxRecords", batchMaxRecords);
            }
            if (batchMaxWaitMs != null) {
                body.put("batchMaxWaitMs", batchMaxWaitMs);
            }
            if (maxAttempts != null) {
                body.put("maxAttempts", maxAttempts);
            }
            if (deadLetterTopic != null) {
                body.put("deadLetterTopic", deadLetterTopic);
            }
            if (secret != null) {
                body.put("secret", secret);
            }
            return PushCommand.call(
                    spec,
                    server,
                    "POST",
                    PATH,
                    body.toString(),
                    (out, json) -> out.println("Created push"
                            + " subscription " + name + ": "
                            + json.path("topic").asText() + " -> "
                            + json.path("url").asText() + " (group "
                            + json.path("group").asText() + ")."));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List subscriptions with their state.")
    static final class ListSubscriptions implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ServerOption server;

        @Override
        public Integer call() {
            return PushCommand.call(spec, server, "GET", PATH, null, (out, json) -> {
                Table table = new Table("NAME", "TOPIC", "URL", "STATE", "DELIVERED", "DEAD-LETTERED", "LAST ERROR");
                for (JsonNode subscription : json.path("subscriptions")) {
                    table.row(
                            subscription.path("name").asText(),
                            subscription.path("topic").asText(),
                            subscription.path("url").asText(),
                            subscription.path("state").asText(),
                            subscription.path("delivered").asLong(),
                            subscription.path("deadLettered").asLong(),
                            lastError(subscription));
                }
                table.print(out, "");
            });
        }
    }

    /** What every command on one subscription takes: the server and the subscription's name. */
    abstract static class OnSubscription implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ServerOption server;

        @Parameters(paramLabel = "NAME", description = "Subscription name.")
        String name;

        /** Calls {@code method} on the subscription's path plus {@code suffix}; prints "{done} push subscription NAME.". */
        Integer act(String method, String suffix, String body, String done) {
            return PushCommand.call(
                    spec,
                    server,
                    method,
                    PATH + "/" + encode(name) + suffix,
                    body,
                    (out, json) -> out.println(done + " push subscription " + name + "."));
        }
    }

    @Command(
            name = "describe",
            mixinStandardHelpOptions = true,
            description = "Show a subscription's settings, counts, last error and lag per partition.")
    static final class Describe extends OnSubscription {
        @Override
        public Integer call() {
            return PushCommand.call(spec, server, "GET", PATH + "/" + encode(name), null, PushCommand::describe);
        }
    }

    @Command(
            name = "pause",
            mixinStandardHelpOptions = true,
            description = "Stop delivering; resume goes on from the committed offsets.")
    static final class Pause extends OnSubscription {
        @Override
        public Integer call() {
            return act("POST", "/pause", "", "Paused");
        }
    }

    @Command(
            name = "resume",
            mixinStandardHelpOptions = true,
            description = "Deliver again from the committed offsets.")
    static final class Resume extends OnSubscription {
        @Override
        public Integer call() {
            return act("POST", "/resume", "", "Resumed");
        }
    }

    @Command(
            name = "delete",
            mixinStandardHelpOptions = true,
            description = "Stop delivering and delete the subscription and its group.")
    static final class Delete extends OnSubscription {
        @Override
        public Integer call() {
            return act("DELETE", "", null, "Deleted");
        }
    }

    /** What a subcommand prints from a successful answer. */
    @FunctionalInterface
    interface Printer {
        void print(PrintWriter out, JsonNode json);
    }

    static void describe(PrintWriter out, JsonNode json) {
        out.println("Push subscription " + json.path("name").asText() + ": "
                + json.path("state").asText());
        out.println("  topic " + json.path("topic").asText() + ", url "
                + json.path("url").asText() + ", group " + json.path("group").asText());
        String deadLetter = json.path("deadLetterTopic").isNull()
                ? "no dead-letter topic (pauses on a batch it cannot deliver)"
                : "dead-letter topic " + json.path("deadLetterTopic").asText();
        out.println("  batches of up to " + json.path("batchMaxRecords").asLong() + " records or "
                + json.path("batchMaxWaitMs").asLong() + " ms, "
                + json.path("maxAttempts").asLong()
                + " attempts, " + deadLetter + ", " + (json.path("signed").asBoolean() ? "signed" : "unsigned"));
        out.println("  delivered " + json.path("delivered").asLong() + ", retries "
                + json.path("retries").asLong() + ", dead-lettered "
                + json.path("deadLettered").asLong()
                + ", in flight " + json.path("inFlight").asLong() + ", lag "
                + json.path("lag").asLong());
        out.println("  last error: " + lastError(json));
        Table table = new Table("PARTITION", "COMMITTED", "END", "LAG");
        for (JsonNode partition : json.path("partitions")) {
            long committed = partition.path("committed").asLong();
            table.row(
                    partition.path("partition").asInt(),
                    committed < 0 ? "-" : committed,
                    partition.path("end").asLong(),
                    partition.path("lag").asLong());
        }
        table.print(out, "  ");
    }

    private static String lastError(JsonNode subscription) {
        JsonNode error = subscription.path("lastError");
        if (error.isMissingNode() || error.isNull()) {
            return "-";
        }
        return error.path("time").asText() + " " + error.path("message").asText();
    }

    private static String encode(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Sends one request; prints the answer, or the server's error, and answers the exit code. */
    static int call(CommandSpec spec, ServerOption server, String method, String path, String body, Printer printer) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        URI uri;
        try {
            uri = new URI(server.server.replaceAll("/+$", "") + path);
        } catch (URISyntaxException e) {
            err.println("Error: --server '" + server.server + "' is not a URL; give e.g. http://127.0.0.1:8080");
            return BrookCommand.EXIT_USAGE;
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        HttpResponse<String> response;
        try {
            HttpClient client = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException | IllegalArgumentException e) {
            err.println("Error: cannot reach " + server.server + " (" + e + "); is `brook server` running there?");
            return BrookCommand.EXIT_FAILURE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("Error: interrupted");
            return BrookCommand.EXIT_FAILURE;
        }
        JsonNode json;
        try {
            json = response.body().isEmpty() ? MAPPER.createObjectNode() : MAPPER.readTree(response.body());
        } catch (IOException e) {
            err.println("Error: " + server.server + " answered HTTP " + response.statusCode() + " with no JSON; is it"
                    + " `brook server`?");
            return BrookCommand.EXIT_FAILURE;
        }
        if (response.statusCode() >= 300) {
            String message = json.path("error").path("message").asText("HTTP " + response.statusCode());
            err.println("Error: " + message);
            return BrookCommand.EXIT_FAILURE;
        }
        printer.print(out, json);
        out.flush();
        return 0;
    }
}
