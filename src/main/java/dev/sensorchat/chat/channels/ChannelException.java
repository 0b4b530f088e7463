package dev.sensorchat.chat.channels;

/** Why a webhook delivery was refused; nothing is stored and nothing happens for it. */
public abstract class ChannelException extends RuntimeException {

    protected ChannelException(String message) {
        super(message);
    }

    /** Missing, forged or expired credentials: 401. */
    public static final class Unauthorized extends ChannelException {
        public Unauthorized(String message) {
            super(message);
        }
    }

    /** A known caller whose role does not allow this: 403. */
    public static final class Forbidden extends ChannelException {
        public Forbidden(String message) {
            super(message);
        }
    }

    /** What checks the caller (an identity provider) cannot be reached: 503, retry later. */
    public static final class Unavailable extends ChannelException {
        public Unavailable(String message) {
            super(message);
        }
    }

    /** A body the channel cannot read: 400 with a problem document. */
    public static final class BadRequest extends ChannelException {
        public BadRequest(String message) {
            super(message);
        }
    }

    /** A kind of delivery this deployment is not set up to answer (a setting is missing): 501. */
    public static final class NotConfigured extends ChannelException {
        public NotConfigured(String message) {
            super(message);
        }
    }
}
