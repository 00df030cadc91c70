package org.invokej.http;

import io.helidon.common.configurable.Resource;
import io.helidon.common.pki.Keys;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * The server's certificate chain and private key, read from PEM files (InvokeAI's {@code ssl_certfile}
 * and {@code ssl_keyfile}) and checked before the server starts, so that a missing, unreadable or
 * mismatched file is one line at start-up rather than a failed handshake for every client.
 */
public record TlsFiles(List<X509Certificate> chain, PrivateKey key) {

    public TlsFiles {
        chain = List.copyOf(chain);
        Objects.requireNonNull(key, "key");
    }

    /**
     * Reads and checks the two files.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static TlsFiles read(Path certFile, Path keyFile) {
        readable(certFile, "certificate");
        readable(keyFile, "private key");
        List<X509Certificate> chain;
        try {
            chain = Keys.builder().pem(pem -> pem.certChain(Resource.create(certFile))).build().certChain();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the certificate file " + certFile + " holds no PEM certificate (" + reason(e) + ")", e);
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("the certificate file " + certFile + " holds no PEM certificate");
        }
        PrivateKey key;
        try {
            key = Keys.builder().pem(pem -> pem.key(Resource.create(keyFile))).build().privateKey()
                    .orElseThrow(() -> new IllegalArgumentException("no private key found"));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the key file " + keyFile + " holds no unencrypted PEM private key (" + reason(e) + ")", e);
        }
        if (!matches(key, chain.getFirst())) {
            throw new IllegalArgumentException("the private key in " + keyFile + " does not belong to the certificate in " + certFile);
        }
        return new TlsFiles(chain, key);
    }

    private static void readable(Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("the " + what + " file " + file + " does not exist");
        }
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("the " + what + " file " + file + " is not readable by " + System.getProperty("user.name"));
        }
    }

    /** Whether {@code key} signs what the certificate's public key verifies: the only check that works for every key type. */
    private static boolean matches(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            case "Ed448" -> "Ed448";
            default -> null;
        };
        if (algorithm == null) {
            throw new IllegalArgumentException("the private key's type " + key.getAlgorithm() + " is not supported (use RSA, EC or Ed25519)");
        }
        try {
            byte[] probe = "invokej tls probe".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.lines().findFirst().orElse(message).strip();
    }
}
