package io.brook.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts an in-process Brook broker on 127.0.0.1 on a free port, with its data in a fresh temporary directory, and
 * injects a {@link BrookCluster} into test methods and lifecycle methods that ask for one.
 *
 * <p>Registered on a class ({@code @ExtendWith}) or in a static {@code @RegisterExtension} field, one broker serves
 * the whole class; in an instance field, each test gets its own. Use {@link #withConfig} for broker settings. The
 * broker is closed and its directory deleted after the class (or test), even when a test fails.
 */
public final class BrookBrokerExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {
    private final Map<String, String> overrides;
    private BrookCluster cluster;
    private String ownerId;
    private Path tempDir;

    public BrookBrokerExtension() {
        this(Map.of());
    }

    private BrookBrokerExtension(Map<String, String> overrides) {
        this.overrides = new TreeMap<>(overrides);
    }

    /** An extension whose broker runs with these extra broker settings (e.g. {@code socket.request.max.bytes}). */
    public static BrookBrokerExtension withConfig(Map<String, String> overrides) {
        return new BrookBrokerExtension(overrides);
    }

    /** The running broker; only between the callbacks that start and stop it. */
    public BrookCluster cluster() {
        if (cluster == null) {
            throw new IllegalStateException("the Brook broker is not running outside its test class or test");
        }
        return cluster;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        startIfNeeded(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        startIfNeeded(context);
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        stopIfOwner(context);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        stopIfOwner(context);
    }

    private void startIfNeeded(ExtensionContext context) throws IOException {
        if (cluster != null) {
            return;
        }
        tempDir = Files.createTempDirectory(TestPaths.workDir(), "brook-broker-");
        cluster = BrookCluster.start(tempDir.resolve("data"), overrides);
        ownerId = context.getUniqueId();
    }

    private void stopIfOwner(ExtensionContext context) throws IOException {
        if (cluster == null || !context.getUniqueId().equals(ownerId)) {
            return;
        }
        try {
            cluster.close();
        } finally {
            cluster = null;
            ownerId = null;
            TestPaths.deleteRecursively(tempDir);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == BrookCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return cluster();
    }
}
