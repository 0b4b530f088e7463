package dev.sensorchat.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sensorchat.common.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The user App Service Authentication signed in, from the {@code X-MS-CLIENT-PRINCIPAL} header it sets:
 * Base64 of {@code {"auth_typ", "name_typ", "role_typ", "claims": [{"typ", "val"}]}}. Believed only
 * where that module runs in front of the app (see {@link AuthSettings#trustAppServicePrincipal()}).
 */
final class AppServicePrincipal {

    static final String HEADER = "X-MS-CLIENT-PRINCIPAL";
    private static final List<String> ID_CLAIMS = List.of("http://schemas.microsoft.com/identity/claims/objectidentifier", "oid",
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier", "sub");
    private static final List<String> ROLE_CLAIMS = List.of("roles", "http://schemas.microsoft.com/ws/2008/06/identity/claims/role");

    private AppServicePrincipal() {
    }

    static User decode(String header) {
        JsonNode principal;
        try {
            principal = Json.STRICT_READER.readTree(new String(java.util.Base64.getDecoder().decode(header.strip()), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | JsonProcessingException e) {
            throw new AuthException.Unauthenticated(HEADER + " is not Base64 of a JSON principal.");
        }
        if (principal == null || !principal.path("claims").isArray()) {
            throw new AuthException.Unauthenticated(HEADER + " holds no claims.");
        }
        String roleType = principal.path("role_typ").asText("roles");
        String nameType = principal.path("name_typ").asText("name");
        List<String> roles = new ArrayList<>();
        for (JsonNode claim : principal.get("claims")) {
            String type = claim.path("typ").asText();
            if (type.equals(roleType) || ROLE_CLAIMS.contains(type)) {
                roles.add(claim.path("val").asText());
            }
        }
        String id = ID_CLAIMS.stream().map(type -> claim(principal, type)).flatMap(Optional::stream).findFirst()
                .orElseThrow(() -> new AuthException.Unauthenticated(HEADER + " names no user."));
        String name = claim(principal, nameType).or(() -> claim(principal, "name")).or(() -> claim(principal, "preferred_username")).orElse(id);
        return new User(id, name, TokenVerifier.highestRole(roles));
    }

    private static Optional<String> claim(JsonNode principal, String type) {
        for (JsonNode claim : principal.get("claims")) {
            if (claim.path("typ").asText().equals(type) && !claim.path("val").asText().isBlank()) {
                return Optional.of(claim.path("val").asText());
            }
        }
        return Optional.empty();
    }
}
