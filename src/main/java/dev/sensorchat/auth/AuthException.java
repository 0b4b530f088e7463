package dev.sensorchat.auth;

/** Why a request is not let through; each kind maps to its own HTTP status. */
public abstract sealed class AuthException extends RuntimeException {

    AuthException(String message, Throwable cause) {
        super(message, cause, false, false);
    }

    /** No credentials, or credentials that do not check out: 401. The message is safe to show the caller. */
    public static final class Unauthenticated extends AuthException {
        public Unauthenticated(String message) {
            super(message, null);
        }
    }

    /** A valid user without the role the action needs: 403. */
    public static final class Forbidden extends AuthException {
        public Forbidden(String message) {
            super(message, null);
        }
    }

    /** The identity provider's keys cannot be fetched, so no token can be judged: 503, retry later. */
    public static final class ProviderUnavailable extends AuthException {
        public ProviderUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
