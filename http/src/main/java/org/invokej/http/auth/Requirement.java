package org.invokej.http.auth;

/**
 * Who may call a route, in InvokeAI's terms. The "or default" kinds let everyone in as the built-in
 * {@code system} administrator in single-user mode; the others need a real token in both modes.
 */
public enum Requirement {
    /** Anyone, without a token. */
    PUBLIC,
    /** A logged-in user (InvokeAI's CurrentUser). */
    USER,
    /** A logged-in administrator (AdminUser). */
    ADMIN,
    /** A logged-in user; in single-user mode, anyone as {@code system} (CurrentUserOrDefault). */
    USER_OR_DEFAULT,
    /** A logged-in administrator; in single-user mode, anyone as {@code system} (AdminUserOrDefault). */
    ADMIN_OR_DEFAULT,
    /** As {@link #USER_OR_DEFAULT}, also with the media cookie instead of a header, for {@code <img src>}. */
    MEDIA_OR_DEFAULT
}
