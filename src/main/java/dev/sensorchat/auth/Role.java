package dev.sensorchat.auth;

import java.util.Locale;
import java.util.Optional;

/**
 * What a signed-in user may do, from the app roles in their token. Each role includes the ones before
 * it: an operator can read, an admin can do what an operator can.
 */
public enum Role {
    /** Reads devices, readings, alerts, rules and reports. */
    VIEWER,
    /** Also acknowledges and resolves alerts, and creates, edits and deletes rules. */
    OPERATOR,
    /** Everything, including reports on demand and subscriptions for others. */
    ADMIN;

    /** The app role's value as it appears in a token's {@code roles} claim. */
    public String claimValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role a claim value names ({@code viewer}, {@code operator}, {@code admin}, any case), if any. */
    public static Optional<Role> fromClaim(String value) {
        if (value == null) {
            return Optional.empty();
        }
        for (Role role : values()) {
            if (role.claimValue().equalsIgnoreCase(value.strip())) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }

    public boolean includes(Role other) {
        return compareTo(other) >= 0;
    }
}
