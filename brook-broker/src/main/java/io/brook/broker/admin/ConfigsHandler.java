package io.brook.broker.admin;

import io.brook.broker.BrokerConfig;
import io.brook.broker.BrokerContext;
import io.brook.broker.topic.Topic;
import io.brook.broker.topic.TopicConfigs;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsSynonym;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigType;

/**
 * DescribeConfigs for topics and the broker; AlterConfigs and IncrementalAlterConfigs for topics. The broker's own
 * configuration comes from its file and flags and is read-only here.
 */
public final class ConfigsHandler {
    private static final byte TOPIC = ConfigResource.Type.TOPIC.id();
    private static final byte BROKER = ConfigResource.Type.BROKER.id();
    private static final byte SET = 0;
    private static final byte DELETE = 1;
    private static final byte APPEND = 2;
    private static final byte SUBTRACT = 3;

    private final BrokerContext context;

    public ConfigsHandler(BrokerContext context) {
        this.context = context;
    }

    public DescribeConfigsResponseData describe(DescribeConfigsRequestData request, short version) {
        DescribeConfigsResponseData response = new DescribeConfigsResponseData();
        for (DescribeConfigsRequestData.DescribeConfigsResource resource : request.resources()) {
            DescribeConfigsResult result = new DescribeConfigsResult()
                    .setResourceType(resource.resourceType())
                    .setResourceName(resource.resourceName());
            try {
                if (resource.resourceType() == TOPIC) {
                    describeTopic(resource, request, result);
                } else if (resource.resourceType() == BROKER) {
                    describeBroker(resource, request, result);
                } else {
                    throw new InvalidRequestException("Brook describes configs of topics and brokers only; got"
                            + " resource type " + resource.resourceType());
                }
            } catch (RuntimeException e) {
                ApiError error = ApiErrors.of(e);
                result.setErrorCode(error.error().code())
                        .setErrorMessage(error.message())
                        .setConfigs(List.of());
            }
            response.results().add(result);
        }
        return response;
    }

    private void describeTopic(
            DescribeConfigsRequestData.DescribeConfigsResource resource,
            DescribeConfigsRequestData request,
            DescribeConfigsResult result) {
        Topic topic = context.topics()
                .topic(resource.resourceName())
                .orElseThrow(() -> new UnknownTopicOrPartitionException(
                        "Topic '" + resource.resourceName() + "' does not exist."));
        TopicConfigs configs = context.topics().configs();
        for (String name : selected(configs.names(), resource.configurationKeys())) {
            boolean overridden = topic.overrides().containsKey(name);
            String value = overridden ? topic.overrides().get(name) : configs.defaultValue(name);
            DescribeConfigsResourceResult entry = new DescribeConfigsResourceResult()
                    .setName(name)
                    .setValue(value)
                    .setReadOnly(false)
                    .setConfigSource(overridden ? ConfigSource.TOPIC_CONFIG.id() : ConfigSource.DEFAULT_CONFIG.id())
                    .setIsSensitive(false)
                    .setConfigType(configType(configs.type(name)).id());
            if (request.includeDocumentation()) {
                entry.setDocumentation(configs.documentation(name));
            }
            if (request.includeSynonyms()) {
                if (overridden) {
                    entry.synonyms()
                            .add(new DescribeConfigsSynonym()
                                    .setName(name)
                                    .setValue(value)
                                    .setSource(ConfigSource.TOPIC_CONFIG.id()));
                }
                entry.synonyms()
                        .add(new DescribeConfigsSynonym()
                                .setName(name)
                                .setValue(configs.defaultValue(name))
                                .setSource(ConfigSource.DEFAULT_CONFIG.id()));
            }
            result.configs().add(entry);
        }
    }

    private void describeBroker(
            DescribeConfigsRequestData.DescribeConfigsResource resource,
            DescribeConfigsRequestData request,
            DescribeConfigsResult result) {
        String name = resource.resourceName();
        if (!name.isEmpty() && !name.equals(Integer.toString(context.nodeId()))) {
            throw new InvalidRequestException(
                    "Broker " + name + " is not this broker; this cluster has only broker " + context.nodeId());
        }
        Map<String, String> values = context.config().effectiveValues();
        Map<String, String> originals = context.config().originals();
        for (String key : selected(values.keySet(), resource.configurationKeys())) {
            ConfigDef.ConfigKey definition =
                    BrokerConfig.DEFINITION.configKeys().get(key);
            boolean set = originals.containsKey(key);
            DescribeConfigsResourceResult entry = new DescribeConfigsResourceResult()
                    .setName(key)
                    .setValue(values.get(key))
                    .setReadOnly(true)
                    .setConfigSource(set ? ConfigSource.STATIC_BROKER_CONFIG.id() : ConfigSource.DEFAULT_CONFIG.id())
                    .setIsSensitive(false)
                    .setConfigType(configType(definition.type).id());
            if (request.includeDocumentation()) {
                entry.setDocumentation(definition.documentation);
            }
            result.configs().add(entry);
        }
    }

    private static Collection<String> selected(Collection<String> all, List<String> requested) {
        if (requested == null || requested.isEmpty()) {
            return all;
        }
        return requested.stream().filter(all::contains).toList();
    }

    private static ConfigType configType(ConfigDef.Type type) {
        if (type == null) {
            return ConfigType.UNKNOWN;
        }
        return switch (type) {
            case BOOLEAN -> ConfigType.BOOLEAN;
            case STRING -> ConfigType.STRING;
            case INT -> ConfigType.INT;
            case SHORT -> ConfigType.SHORT;
            case LONG -> ConfigType.LONG;
            case DOUBLE -> ConfigType.DOUBLE;
            case LIST -> ConfigType.LIST;
            case CLASS -> ConfigType.CLASS;
            case PASSWORD -> ConfigType.PASSWORD;
        };
    }

    public IncrementalAlterConfigsResponseData incrementalAlter(
            IncrementalAlterConfigsRequestData request, short version) {
        IncrementalAlterConfigsResponseData response = new IncrementalAlterConfigsResponseData();
        for (IncrementalAlterConfigsRequestData.AlterConfigsResource resource : request.resources()) {
            IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse result =
                    new IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse()
                            .setResourceType(resource.resourceType())
                            .setResourceName(resource.resourceName());
            try {
                Topic topic = topicToAlter(resource.resourceType(), resource.resourceName());
                Map<String, String> overrides = new TreeMap<>(topic.overrides());
                for (IncrementalAlterConfigsRequestData.AlterableConfig config : resource.configs()) {
                    apply(overrides, config);
                }
                alter(topic, overrides, request.validateOnly());
            } catch (RuntimeException | IOException e) {
                ApiError error = ApiErrors.of(e);
                result.setErrorCode(error.error().code()).setErrorMessage(error.message());
            }
            response.responses().add(result);
        }
        return response;
    }

    private void apply(Map<String, String> overrides, IncrementalAlterConfigsRequestData.AlterableConfig config) {
        String name = config.name();
        TopicConfigs configs = context.topics().configs();
        if (!configs.names().contains(name)) {
            throw new InvalidConfigurationException("Unknown topic config name: " + name);
        }
        boolean isList = configs.type(name) == ConfigDef.Type.LIST;
        switch (config.configOperation()) {
            case SET -> overrides.put(name, config.value());
            case DELETE -> overrides.remove(name);
            case APPEND, SUBTRACT -> {
                if (!isList) {
                    throw new InvalidConfigurationException(
                            "Config value append is not allowed for config key: " + name + " (it is not a list)");
                }
                java.util.LinkedHashSet<String> items = new java.util.LinkedHashSet<>();
                String current = overrides.getOrDefault(name, configs.defaultValue(name));
                for (String item : current.split(",")) {
                    if (!item.isBlank()) {
                        items.add(item.trim());
                    }
                }
                for (String item :
                        config.value() == null ? new String[0] : config.value().split(",")) {
                    if (config.configOperation() == APPEND) {
                        items.add(item.trim());
                    } else {
                        items.remove(item.trim());
                    }
                }
                overrides.put(name, String.join(",", items));
            }
            default ->
                throw new InvalidRequestException(
                        "Unknown config operation " + config.configOperation() + " for " + name);
        }
    }

    public AlterConfigsResponseData alter(AlterConfigsRequestData request, short version) {
        AlterConfigsResponseData response = new AlterConfigsResponseData();
        for (AlterConfigsRequestData.AlterConfigsResource resource : request.resources()) {
            AlterConfigsResponseData.AlterConfigsResourceResponse result =
                    new AlterConfigsResponseData.AlterConfigsResourceResponse()
                            .setResourceType(resource.resourceType())
                            .setResourceName(resource.resourceName());
            try {
                Topic topic = topicToAlter(resource.resourceType(), resource.resourceName());
                Map<String, String> overrides = new TreeMap<>();
                resource.configs().forEach(config -> overrides.put(config.name(), config.value()));
                alter(topic, overrides, request.validateOnly());
            } catch (RuntimeException | IOException e) {
                ApiError error = ApiErrors.of(e);
                result.setErrorCode(error.error().code()).setErrorMessage(error.message());
            }
            response.responses().add(result);
        }
        return response;
    }

    private Topic topicToAlter(byte resourceType, String resourceName) {
        if (resourceType == BROKER) {
            throw new InvalidRequestException("Brook's broker configuration is read-only at run time; change it in"
                    + " the server's config file or flags and restart");
        }
        if (resourceType != TOPIC) {
            throw new InvalidRequestException("Brook alters configs of topics only; got resource type " + resourceType);
        }
        return context.topics()
                .topic(resourceName)
                .orElseThrow(
                        () -> new UnknownTopicOrPartitionException("Topic '" + resourceName + "' does not exist."));
    }

    private void alter(Topic topic, Map<String, String> overrides, boolean validateOnly) throws IOException {
        try {
            context.topics().configs().validate(overrides);
        } catch (org.apache.kafka.common.config.ConfigException e) {
            throw new InvalidConfigurationException(e.getMessage());
        }
        if (!validateOnly) {
            context.topics().setOverrides(topic.name(), overrides);
        }
    }
}
