package org.invokej.core.users;

import org.invokej.core.DomainException;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * bcrypt as passlib writes it ({@code $2b$}, cost 12 by default), verifying {@code $2a$}, {@code $2b$}
 * and {@code $2y$} hashes. Passwords are cut to their first 72 UTF-8 bytes (bcrypt's limit, as passlib
 * does), dropping a character split by the cut.
 *
 * <p>The work runs on a small pool of its own with a bounded queue: a flood of logins then costs at most
 * those threads' CPU and the rest of the server keeps answering; when the queue is full the caller is
 * told to retry shortly.
 */
public final class BcryptPasswordHasher implements PasswordHasher, AutoCloseable {

    private static final int MAX_BYTES = 72;
    private static final int QUEUE_LIMIT = 64;

    private final BCryptPasswordEncoder encoder;
    private final String dummyHash;
    private final ThreadPoolExecutor pool;

    /**
     * @param cost    bcrypt's log2 work factor (4–31); 12 in production, low in tests
     * @param threads how many hashes may run at once
     */
    public BcryptPasswordHasher(int cost, int threads) {
        this.encoder = new BCryptPasswordEncoder(BCryptPasswordEncoder.BCryptVersion.$2B, cost, new SecureRandom());
        AtomicInteger count = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE_LIMIT),
                task -> {
                    Thread thread = new Thread(task, "bcrypt-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        this.dummyHash = encoder.encode("not a password of anyone");
    }

    @Override
    public String hash(String password) {
        return run(() -> encoder.encode(truncate(password)));
    }

    @Override
    public boolean matches(String password, String hash) {
        if (password == null || hash == null || !hash.startsWith("$2")) {
            matchesNothing(password);
            return false;
        }
        return run(() -> {
            try {
                return encoder.matches(truncate(password), hash);
            } catch (RuntimeException malformed) {
                return false;
            }
        });
    }

    @Override
    public void matchesNothing(String password) {
        run(() -> encoder.matches(truncate(password == null ? "" : password), dummyHash));
    }

    private <T> T run(Supplier<T> work) {
        Future<T> future;
        try {
            future = pool.submit(work::get);
        } catch (RejectedExecutionException busy) {
            throw DomainException.unavailable("The server is busy checking passwords; try again in a moment", Duration.ofSeconds(1));
        }
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while hashing a password", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
    }

    /** The password as bcrypt sees it: at most 72 UTF-8 bytes, never half a character. */
    static String truncate(String password) {
        byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_BYTES) {
            return password;
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.IGNORE)
                .onUnmappableCharacter(CodingErrorAction.IGNORE);
        try {
            CharBuffer chars = decoder.decode(ByteBuffer.wrap(bytes, 0, MAX_BYTES));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
