package org.invokej.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import org.apache.commons.fileupload2.core.AbstractFileUpload;
import org.apache.commons.fileupload2.core.DiskFileItem;
import org.apache.commons.fileupload2.core.DiskFileItemFactory;
import org.apache.commons.fileupload2.core.FileItemInput;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.core.FileUploadException;
import org.apache.commons.fileupload2.core.FileUploadSizeException;
import org.apache.commons.fileupload2.core.RequestContext;
import org.invokej.core.DomainException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code multipart/form-data} body, read as it streams in with Apache Commons FileUpload (Helidon's
 * own multipart media support is not available here), every part held in memory up to
 * {@code maxBytes} in all: a larger body is refused with 413 before more of it is read.
 */
public final class MultipartForm {

    /** One part: its content type (null when the part has none) and bytes. */
    public record Part(String contentType, byte[] bytes) {
        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private final Map<String, Part> parts;

    private MultipartForm(Map<String, Part> parts) {
        this.parts = parts;
    }

    /** Reads the request's parts (the first of each name counts); 415 if it is not a form, 413 if too large. */
    public static MultipartForm read(ServerRequest request, long maxBytes) {
        String contentType = request.headers().first(HeaderNames.CONTENT_TYPE).orElse("");
        if (!contentType.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data")) {
            throw DomainException.of(DomainException.Kind.UNSUPPORTED_MEDIA, "Content-Type must be multipart/form-data");
        }
        Upload upload = new Upload();
        upload.setSizeMax(maxBytes);
        upload.setFileSizeMax(maxBytes);
        upload.setFileCountMax(16);
        Map<String, Part> parts = new HashMap<>();
        try {
            FileItemInputIterator items = upload.getItemIterator(new Body(contentType, request.content().inputStream()));
            while (items.hasNext()) {
                FileItemInput item = items.next();
                try (InputStream in = item.getInputStream()) {
                    byte[] bytes = in.readAllBytes();
                    parts.putIfAbsent(item.getFieldName(), new Part(item.getContentType(), bytes));
                }
            }
        } catch (FileUploadSizeException e) {
            throw DomainException.of(DomainException.Kind.TOO_LARGE, "Upload is too large (at most " + maxBytes + " bytes)");
        } catch (FileUploadException e) {
            throw DomainException.unprocessable("Malformed multipart body: " + e.getMessage());
        } catch (IOException e) {
            throw DomainException.invalid("Unreadable multipart body");
        }
        return new MultipartForm(parts);
    }

    public Optional<Part> part(String name) {
        return Optional.ofNullable(parts.get(name));
    }

    /** The request as FileUpload sees it. */
    private record Body(String contentType, InputStream in) {
    }

    /** FileUpload's parser for a plain stream; only the streaming iterator is used. */
    private static final class Upload extends AbstractFileUpload<Body, DiskFileItem, DiskFileItemFactory> {

        @Override
        public FileItemInputIterator getItemIterator(Body body) throws FileUploadException, IOException {
            return getItemIterator(new RequestContext() {
                @Override
                public String getCharacterEncoding() {
                    return StandardCharsets.UTF_8.name();
                }

                @Override
                public long getContentLength() {
                    return -1;
                }

                @Override
                public String getContentType() {
                    return body.contentType();
                }

                @Override
                public InputStream getInputStream() {
                    return body.in();
                }

                @Override
                public boolean isMultipartRelated() {
                    return false;
                }
            });
        }

        @Override
        public Map<String, List<DiskFileItem>> parseParameterMap(Body body) {
            throw new UnsupportedOperationException("only the streaming iterator is used");
        }

        @Override
        public List<DiskFileItem> parseRequest(Body body) {
            throw new UnsupportedOperationException("only the streaming iterator is used");
        }
    }
}
