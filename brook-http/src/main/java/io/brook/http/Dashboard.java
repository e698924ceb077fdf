package io.brook.http;

import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The dashboard at {@code /}: one page that shows the system live (topics with their size and input rate, consumer
 * groups with lag per partition, push subscriptions, a chart per streaming query from its progress reports, and a live
 * tail of a topic over {@code /topics/{t}/events}), drawn from the HTTP API by {@code dashboard.js}. Its files are
 * resources of this module; the charts are uPlot's, from the uPlot webjar on the class path, so the page needs nothing
 * from the network. Files are read once and served from memory.
 */
public final class Dashboard implements HttpRoutes {
    private static final String UPLOT = "/META-INF/resources/webjars/uplot/1.6.30/dist/";
    private static final Map<String, Asset> ASSETS = Map.of(
            "index.html", new Asset("dashboard/index.html", "text/html; charset=utf-8"),
            "dashboard.js", new Asset("dashboard/dashboard.js", "text/javascript; charset=utf-8"),
            "dashboard.css", new Asset("dashboard/dashboard.css", "text/css; charset=utf-8"),
            "uPlot.iife.min.js", new Asset(UPLOT + "uPlot.iife.min.js", "text/javascript; charset=utf-8"),
            "uPlot.min.css", new Asset(UPLOT + "uPlot.min.css", "text/css; charset=utf-8"));

    /** A file of the page: where it is on the class path (relative to this class unless absolute) and its type. */
    private record Asset(String resource, String contentType) {
        byte[] read() {
            try (InputStream in = Dashboard.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("the dashboard's " + resource + " is not on the class path");
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final Map<String, byte[]> contents = new java.util.HashMap<>();

    /** Reads every file now, so that a broken build fails at start rather than in a browser. */
    public Dashboard() {
        ASSETS.forEach((name, asset) -> contents.put(name, asset.read()));
    }

    @Override
    public void addTo(JavalinDefaultRoutingApi routes) {
        routes.get("/", ctx -> serve(ctx, "index.html"));
        routes.get("/dashboard/{file}", ctx -> serve(ctx, ctx.pathParam("file")));
    }

    private void serve(Context ctx, String name) {
        byte[] content = contents.get(name);
        if (content == null) {
            throw ApiException.notFound("NOT_FOUND", "no dashboard file " + name + "; the dashboard is at /");
        }
        ctx.contentType(ASSETS.get(name).contentType()).result(content);
    }
}
