package io.brook.broker.network;

import java.util.Map;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersionCollection;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * Which APIs, at which versions, the broker advertises in ApiVersions. A request is served when its version is both
 * advertised and known to the codec (Produce is advertised from v0 for old librdkafka, as Kafka does, but v0-2 cannot
 * be decoded and close the connection with a logged reason).
 */
public interface SupportedApis {
    /** Supported APIs in the order ApiVersions lists them. */
    Map<ApiKeys, ApiVersionRange> ranges();

    /** The ApiVersions response's API list. */
    default ApiVersionCollection toApiVersions() {
        ApiVersionCollection collection = new ApiVersionCollection();
        ranges().forEach((apiKey, range) -> collection.add(
                new ApiVersion().setApiKey(apiKey.id).setMinVersion(range.min()).setMaxVersion(range.max())));
        return collection;
    }
}
