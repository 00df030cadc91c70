package org.invokej.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A named {@code Content-Security-Policy}. {@link #API} for JSON and served images (nothing may load or
 * run); {@link #builtInUi} for the browser UI in the {@code static} module, which loads its scripts,
 * styles and images from its own origin only and has a single small inline script (the trailing-slash
 * redirect), allowed by its hash. A UI with other needs (InvokeAI's own build) gets a policy of its own:
 * {@link #webUiFolder}.
 */
public record ContentSecurityPolicy(String name, String value) {

    /** JSON, images and everything else that is not a page: nothing may load or run, and no one may frame it. */
    public static final ContentSecurityPolicy API = new ContentSecurityPolicy("api",
            "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");

    private static final Pattern INLINE_SCRIPT = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL);

    /** The policy of the built-in UI, with the hash of each inline script of its {@code index.html}. */
    public static ContentSecurityPolicy builtInUi() {
        String index;
        try (InputStream in = ContentSecurityPolicy.class.getClassLoader()
                .getResourceAsStream(ApiServer.UI_CLASSPATH_LOCATION + "/index.html")) {
            index = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> hashes = new ArrayList<>();
        Matcher script = INLINE_SCRIPT.matcher(index);
        while (script.find()) {
            hashes.add("'sha256-" + sha256(script.group(1)) + "'");
        }
        return new ContentSecurityPolicy("built-in-ui", "default-src 'none'; script-src 'self'" + hashes.stream().map(h -> " " + h)
                .reduce("", String::concat) + "; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; font-src 'self';"
                + " manifest-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'");
    }

    /**
     * The policy of a built InvokeAI web UI served from {@code web_ui_dir}. Its scripts and workers come
     * from its own origin only, as with the built-in UI; what it needs beyond that: inline styles (its
     * component library, Emotion, writes {@code <style>} elements and {@code style} attributes at run
     * time, without a nonce, and {@code index.html} carries one {@code <style>} block), images and
     * fonts from {@code data:} and {@code blob:} URLs (the canvas draws from both, icons are inlined),
     * and {@code blob:}/{@code data:} reads with {@code fetch} (the canvas turns its layers into files
     * that way). Nothing may be loaded from another origin, framed, or posted elsewhere.
     */
    public static ContentSecurityPolicy webUiFolder() {
        return new ContentSecurityPolicy("web-ui-folder", "default-src 'none'; script-src 'self'; worker-src 'self' blob:;"
                + " style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; media-src 'self' data: blob:;"
                + " connect-src 'self' data: blob:; manifest-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'");
    }

    private static String sha256(String text) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
