package io.brook.broker.admin;

import io.brook.log.CorruptRecordException;
import io.brook.log.InvalidProducerEpochException;
import io.brook.log.LogStorageException;
import io.brook.log.OffsetOutOfRangeException;
import io.brook.log.OutOfOrderSequenceException;
import io.brook.log.RecordTooLargeException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;

/** Turns exceptions into the Kafka protocol's error code and message. */
public final class ApiErrors {
    private ApiErrors() {}

    public static ApiError of(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause()
                : error;
        if (cause instanceof ApiException) {
            return ApiError.fromThrowable(cause);
        }
        return new ApiError(code(cause), cause.getMessage());
    }

    private static Errors code(Throwable error) {
        if (error instanceof ConfigException) {
            return Errors.INVALID_CONFIG;
        }
        if (error instanceof OffsetOutOfRangeException) {
            return Errors.OFFSET_OUT_OF_RANGE;
        }
        if (error instanceof RecordTooLargeException) {
            return Errors.MESSAGE_TOO_LARGE;
        }
        if (error instanceof CorruptRecordException) {
            return Errors.CORRUPT_MESSAGE;
        }
        if (error instanceof OutOfOrderSequenceException) {
            return Errors.OUT_OF_ORDER_SEQUENCE_NUMBER;
        }
        if (error instanceof InvalidProducerEpochException) {
            return Errors.INVALID_PRODUCER_EPOCH;
        }
        if (error instanceof LogStorageException || error instanceof java.io.IOException) {
            return Errors.KAFKA_STORAGE_ERROR;
        }
        return Errors.UNKNOWN_SERVER_ERROR;
    }
}
