package dev.sensorchat.auth;

import java.util.Objects;
import java.util.Optional;

/**
 * A signed-in person (or a client application with app roles), as the API and the web chat see them.
 *
 * @param id   a stable identifier: the token's {@code oid} (Entra ID's object id) or else {@code sub}
 * @param name what to show: the display name, else the user name, else the id
 * @param role the highest app role the token grants, or empty for none
 */
public record User(String id, String name, Optional<Role> role) {

    public User {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
    }

    public boolean can(Role needed) {
        return role.map(granted -> granted.includes(needed)).orElse(false);
    }
}
