package io.brook.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dashboard's page and files, uPlot's from its webjar, served by the HTTP server; anything else is a JSON 404. */
class DashboardTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static SqlService sql;
    private static BrookHttpServer server;

    @BeforeAll
    static void start() {
        sql = new SqlService(
                () -> {
                    throw new IllegalStateException("no SQL here");
                },
                false,
                Duration.ofSeconds(1));
        server = BrookHttpServer.start("127.0.0.1", 0, sql, List.of(new Dashboard()));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        sql.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesThePageItsScriptsAndUplot() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type.replace(" ", "")).isEqualTo("text/html;charset=utf-8"));
        assertThat(page.body())
                .contains("<title>Brook</title>")
                .contains("/dashboard/uPlot.iife.min.js")
                .contains("/dashboard/dashboard.js")
                .contains("id=\"topics\"", "id=\"groups\"", "id=\"push\"", "id=\"queries\"", "id=\"tail\"");
        HttpResponse<String> script = get("/dashboard/dashboard.js");
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.body()).contains("new EventSource(", "/queries/", "/push/subscriptions", "/groups/");
        HttpResponse<String> uplot = get("/dashboard/uPlot.iife.min.js");
        assertThat(uplot.statusCode()).isEqualTo(200);
        assertThat(uplot.headers().firstValue("Content-Type"))
                .hasValueSatisfying(
                        type -> assertThat(type.replace(" ", "")).isEqualTo("text/javascript;charset=utf-8"));
        assertThat(uplot.body()).contains("uPlot");
        assertThat(get("/dashboard/uPlot.min.css").body()).contains(".uplot");
        HttpResponse<String> missing = get("/dashboard/nope.js");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("no dashboard file nope.js");
    }
}
