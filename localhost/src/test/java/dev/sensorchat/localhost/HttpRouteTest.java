package dev.sensorchat.localhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpRouteTest {

    private static HttpRoute route(String template) {
        return HttpRoute.of(new FunctionDefinition("f", null, "C", "m", List.of(), null), template, List.of("get", "Post"), "function");
    }

    @Test
    void parametersLiteralsAndOptionalSegments() {
        HttpRoute metric = route("devices/{deviceId}/metrics/{metric}");
        assertEquals(Map.of("deviceId", "boiler 1", "metric", "temperature"), metric.match("/devices/boiler%201/metrics/temperature").orElseThrow());
        assertTrue(metric.match("/devices/boiler-1/metrics").isEmpty());
        assertEquals(Map.of(), route("reports/daily").match("/REPORTS/daily/").orElseThrow(), "case-insensitive, trailing slash");
        assertEquals(Map.of(), route("items/{id?}").match("/items").orElseThrow());
        assertEquals(Map.of("id", "7"), route("items/{id:int}").match("/items/7").orElseThrow());
        assertEquals(java.util.Set.of("GET", "POST"), metric.methods());
        assertEquals(2, metric.literalSegments());
        assertEquals("FUNCTION", metric.authLevel());
    }

    @Test
    void aCatchAllTakesTheRestOfThePathAndComesAfterEveryOtherRoute() {
        HttpRoute assets = route("{*path}");
        assertEquals(Map.of("path", "assets/app.3f2a.js"), assets.match("/assets/app.3f2a.js").orElseThrow());
        assertEquals(Map.of(), assets.match("/").orElseThrow(), "the root: no value");
        assertTrue(assets.catchAll());
        HttpRoute under = route("files/{*name}");
        assertEquals(Map.of("name", "a/b c.txt"), under.match("/files/a/b%20c.txt").orElseThrow());
        assertTrue(under.match("/other/a").isEmpty());

        List<HttpRoute> routes = new java.util.ArrayList<>(List.of(assets, route("api/devices/{deviceId}"), under, route("api/devices")));
        routes.sort(HttpRoute.PRECEDENCE);
        assertEquals(List.of("api/devices/{deviceId}", "api/devices", "files/{*name}", "{*path}"), routes.stream().map(HttpRoute::template).toList());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> route("{*path}/more"));
    }

    @Test
    void queryStringsAreDecodedAndTheFirstValueWins() {
        assertEquals(Map.of("from", "2026-11-22T10:00:00Z", "tag", "a b", "x", ""),
                LocalHost.query(URI.create("http://h/api/r?from=2026-11-22T10%3A00%3A00Z&tag=a+b&tag=c&x")));
    }
}
