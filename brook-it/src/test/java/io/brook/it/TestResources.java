package io.brook.it;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Test resources as files, for child processes that take a path (scripts, single-file Java programs). */
final class TestResources {
    private TestResources() {}

    static Path file(String name) {
        URL url = TestResources.class.getResource(name);
        if (url == null || !url.getProtocol().equals("file")) {
            throw new IllegalStateException("test resource " + name + " is not a file on the classpath: " + url);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("test resource " + name + " has a bad URL " + url, e);
        }
    }
}
