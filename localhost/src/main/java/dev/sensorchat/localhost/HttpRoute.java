package dev.sensorchat.localhost;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One HTTP-triggered function's route: {@code devices/{deviceId}/metrics/{metric}} under the route
 * prefix, its methods and its authorization level. Literal segments win over parameters, as in
 * ASP.NET routing, so {@code reports/daily} is not taken for {@code reports/{id}}; a catch-all
 * ({@code {*path}}, the rest of the path, slashes included) comes after every other route.
 */
record HttpRoute(FunctionDefinition function, String template, Pattern pattern, List<String> parameters, Set<String> methods,
                 String authLevel, int literalSegments, boolean catchAll) {

    private static final Pattern PARAMETER = Pattern.compile("\\{([A-Za-z0-9_]+)(?::[^}]*)?(\\?)?}");
    private static final Pattern CATCH_ALL = Pattern.compile("\\{\\*([A-Za-z0-9_]+)}");

    /** The order routes are tried in: catch-alls last, then the most literal segments first. */
    static final java.util.Comparator<HttpRoute> PRECEDENCE = java.util.Comparator.comparing(HttpRoute::catchAll)
            .thenComparing(java.util.Comparator.comparingInt(HttpRoute::literalSegments).reversed());

    static HttpRoute of(FunctionDefinition function, String template, List<String> methods, String authLevel) {
        List<String> parameters = new ArrayList<>();
        StringBuilder regex = new StringBuilder("^");
        int literals = 0;
        boolean catchAll = false;
        for (String segment : template.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            if (catchAll) {
                throw new IllegalArgumentException("a catch-all parameter ends its route: " + template);
            }
            Matcher rest = CATCH_ALL.matcher(segment);
            Matcher parameter = PARAMETER.matcher(segment);
            if (rest.matches()) {
                parameters.add(rest.group(1));
                regex.append("(?:/(.*?))?");
                catchAll = true;
            } else if (parameter.matches()) {
                parameters.add(parameter.group(1));
                regex.append(parameter.group(2) != null ? "(?:/([^/]+))?" : "/([^/]+)");
            } else {
                literals++;
                regex.append('/').append(Pattern.quote(segment.toLowerCase(Locale.ROOT)));
            }
        }
        regex.append("/?$");
        Set<String> allowed = new java.util.TreeSet<>();
        methods.forEach(method -> allowed.add(method.toUpperCase(Locale.ROOT)));
        return new HttpRoute(function, template, Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE), List.copyOf(parameters),
                allowed, authLevel.toUpperCase(Locale.ROOT), literals, catchAll);
    }

    /** The route parameters when {@code path} (after the prefix, starting with '/') matches. */
    Optional<Map<String, String>> match(String path) {
        Matcher matcher = pattern.matcher(path);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < parameters.size(); i++) {
            if (matcher.group(i + 1) != null && !matcher.group(i + 1).isEmpty()) { // an empty catch-all (the root) binds nothing
                values.put(parameters.get(i), java.net.URLDecoder.decode(matcher.group(i + 1), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return Optional.of(values);
    }
}
