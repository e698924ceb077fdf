package io.brook.push;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The HMAC-SHA256 signature of a delivery. The sender puts the Unix time in seconds in {@value #TIMESTAMP_HEADER} and
 * {@code v1=<hex of HMAC-SHA256(secret, timestamp + "." + body)>} in {@value #SIGNATURE_HEADER}; the receiver computes
 * the same over the exact bytes it received, compares in constant time, and refuses timestamps too far from its clock
 * (which stops a recorded request from being replayed later).
 */
public final class PushSignature {
    public static final String SIGNATURE_HEADER = "Brook-Signature";
    public static final String TIMESTAMP_HEADER = "Brook-Timestamp";
    private static final String ALGORITHM = "HmacSHA256";

    private PushSignature() {}

    /** {@code v1=<hex>} for {@code body} sent at {@code timestampSeconds}. */
    public static String sign(String secret, long timestampSeconds, byte[] body) {
        Mac mac;
        try {
            mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
        mac.update((timestampSeconds + ".").getBytes(StandardCharsets.US_ASCII));
        return "v1=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    /** Whether {@code signature} (the header's value) signs {@code body} at {@code timestampSeconds} with the secret. */
    public static boolean verify(String secret, long timestampSeconds, byte[] body, String signature) {
        byte[] expected = sign(secret, timestampSeconds, body).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
    }
}
