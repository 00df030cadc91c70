package org.invokej.core.audit;

/** What an audit entry records. The wire names are what {@code GET /api/v1/audit} returns. */
public enum AuditAction {
    SETUP("setup"),
    LOGIN("login"),
    LOGIN_FAILED("login_failed"),
    LOGOUT("logout"),
    USER_CREATED("user_created"),
    USER_UPDATED("user_updated"),
    USER_DELETED("user_deleted"),
    ROLE_CHANGED("role_changed"),
    ACTIVE_CHANGED("active_changed"),
    PASSWORD_CHANGED("password_changed"),
    /** Boards, images or workflows given to another owner. */
    CONTENT_TRANSFERRED("content_transferred"),
    API_KEY_CREATED("api_key_created"),
    API_KEY_REVOKED("api_key_revoked");

    private final String wireName;

    AuditAction(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
