package org.invokej.core.models;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The values of InvokeAI's {@code hashing_algorithm} setting that InvokeJ supports, and the prefix each
 * puts before the hex digest. InvokeAI also lists {@code blake2b}, {@code blake2s}, {@code shake_128}
 * and {@code shake_256}; the JDK has none of them (and InvokeAI's own shake hashing fails, as
 * {@code hexdigest()} needs a length), so they are refused when the settings are read.
 */
public enum HashAlgorithm {
    BLAKE3_SINGLE("blake3_single", "blake3", null),
    /** The same digest as {@link #BLAKE3_SINGLE}; a folder's files are hashed in parallel. */
    BLAKE3_MULTI("blake3_multi", "blake3", null),
    /** Not a content hash: BLAKE3 of a random UUID, for installs that must not wait for hashing. */
    RANDOM("random", "random", null),
    MD5("md5", "md5", "MD5"),
    SHA1("sha1", "sha1", "SHA-1"),
    SHA224("sha224", "sha224", "SHA-224"),
    SHA256("sha256", "sha256", "SHA-256"),
    SHA384("sha384", "sha384", "SHA-384"),
    SHA512("sha512", "sha512", "SHA-512"),
    SHA3_224("sha3_224", "sha3_224", "SHA3-224"),
    SHA3_256("sha3_256", "sha3_256", "SHA3-256"),
    SHA3_384("sha3_384", "sha3_384", "SHA3-384"),
    SHA3_512("sha3_512", "sha3_512", "SHA3-512");

    private final String configName;
    private final String prefix;
    private final String jdkName;

    HashAlgorithm(String configName, String prefix, String jdkName) {
        this.configName = configName;
        this.prefix = prefix;
        this.jdkName = jdkName;
    }

    /** The name in {@code invokeai.yaml}. */
    public String configName() {
        return configName;
    }

    /** What precedes the colon in a model's {@code hash}. */
    public String prefix() {
        return prefix;
    }

    /** The JDK's {@code MessageDigest} name, or null for the BLAKE3 kinds. */
    String jdkName() {
        return jdkName;
    }

    boolean isBlake3() {
        return jdkName == null;
    }

    /** Every config name, in the order above. */
    public static List<String> configNames() {
        return Arrays.stream(values()).map(HashAlgorithm::configName).toList();
    }

    public static HashAlgorithm parse(String name) {
        String wanted = name.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(a -> a.configName.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("expected one of " + String.join(", ", configNames())));
    }
}
