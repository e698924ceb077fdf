package io.brook.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import org.apache.kafka.common.utils.AppInfoParser;
import picocli.CommandLine.IVersionProvider;

/** Brook's version (from the build) with the versions it is built on, for {@code brook version} and {@code --version}. */
final class BrookVersion implements IVersionProvider {
    private static final String RESOURCE = "brook-version.properties";

    static String brookVersion() {
        Properties properties = new Properties();
        try (InputStream in = BrookVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return "unknown";
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        return properties.getProperty("version", "unknown");
    }

    static String[] lines() {
        return new String[] {
            "Brook " + brookVersion(),
            "Kafka protocol from kafka-clients " + AppInfoParser.getVersion(),
            "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"
        };
    }

    @Override
    public String[] getVersion() {
        return lines();
    }
}
