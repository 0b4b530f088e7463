package dev.sensorchat.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The dashboard's files, read once from the classpath ({@code dashboard/}): its page,
 * {@code index.html}, and every file the page names under {@code /assets/}. Every file but the page
 * itself is served under a name
 * that carries a digest of its content ({@code /assets/app.3f2a9c1d.js}), which the page is rewritten
 * to use, so browsers may cache those for a year and still never run a stale script. The page is
 * revalidated on every load (ETag, 304). Only listed files exist: a path is looked up, never opened,
 * so no path can reach outside them.
 */
public final class StaticAssets {

    /** A file as served. */
    public record Asset(String path, String contentType, byte[] content, String etag, boolean immutable) {
    }

    static final String ROOT = "dashboard/";
    private static final Pattern REFERENCE = Pattern.compile("(src|href)=\"/assets/([A-Za-z0-9._-]+)\"");

    private final Map<String, Asset> byPath;
    private final Asset page;

    private StaticAssets(Map<String, Asset> byPath, Asset page) {
        this.byPath = byPath;
        this.page = page;
    }

    /** {@code dashboard/index.html} on the classpath, and the files it names. */
    public static StaticAssets fromClasspath() {
        ClassLoader loader = StaticAssets.class.getClassLoader();
        byte[] index = read(loader, "index.html");
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("index.html", index);
        Matcher references = REFERENCE.matcher(new String(index, StandardCharsets.UTF_8));
        while (references.find()) {
            files.computeIfAbsent(references.group(2), name -> read(loader, name));
        }
        return of(files);
    }

    /** From file names (relative to the dashboard's folder) and contents. */
    public static StaticAssets of(Map<String, byte[]> files) {
        Map<String, Asset> byPath = new LinkedHashMap<>();
        Map<String, String> hashedNames = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            String name = file.getKey();
            if (name.equals("index.html")) {
                continue;
            }
            String digest = digest(file.getValue());
            String hashed = hashedName(name, digest.substring(0, 10));
            hashedNames.put(name, hashed);
            byPath.put("/assets/" + hashed, new Asset("/assets/" + hashed, contentType(name), file.getValue(), "\"" + digest + "\"", true));
        }
        byte[] index = files.get("index.html");
        if (index == null) {
            throw new IllegalStateException("the dashboard has no index.html");
        }
        Matcher references = REFERENCE.matcher(new String(index, StandardCharsets.UTF_8));
        StringBuilder html = new StringBuilder();
        while (references.find()) {
            String hashed = hashedNames.get(references.group(2));
            if (hashed == null) {
                throw new IllegalStateException("index.html refers to /assets/" + references.group(2) + ", which is not among the files");
            }
            references.appendReplacement(html, references.group(1) + "=\"/assets/" + hashed + "\"");
        }
        references.appendTail(html);
        byte[] rewritten = html.toString().getBytes(StandardCharsets.UTF_8);
        Asset page = new Asset("/", "text/html; charset=utf-8", rewritten, "\"" + digest(rewritten) + "\"", false);
        return new StaticAssets(Map.copyOf(byPath), page);
    }

    /**
     * What a GET of {@code path} serves: a listed asset, or the page for any path without a file
     * extension (the page's own views, such as {@code /devices/boiler-1}); empty for anything else.
     */
    public Optional<Asset> find(String path) {
        String normalized = path == null || path.isEmpty() ? "/" : path.startsWith("/") ? path : "/" + path;
        Asset asset = byPath.get(normalized);
        if (asset != null) {
            return Optional.of(asset);
        }
        if (normalized.startsWith("/assets/") || normalized.startsWith("/api/") || normalized.startsWith("/app/api/")) {
            return Optional.empty();
        }
        String last = normalized.substring(normalized.lastIndexOf('/') + 1);
        return last.contains(".") && !last.equals("index.html") ? Optional.empty() : Optional.of(page);
    }

    public Asset page() {
        return page;
    }

    public List<String> paths() {
        return byPath.keySet().stream().sorted().toList();
    }

    static String hashedName(String name, String digest) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name + "." + digest : name.substring(0, dot) + "." + digest + name.substring(dot);
    }

    static String contentType(String name) {
        String extension = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        return switch (extension) {
            case "js", "mjs" -> "text/javascript; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "svg" -> "image/svg+xml";
            case "png" -> "image/png";
            case "ico" -> "image/x-icon";
            case "json", "map" -> "application/json";
            case "woff2" -> "font/woff2";
            default -> "application/octet-stream";
        };
    }

    private static String digest(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] read(ClassLoader loader, String name) {
        try (InputStream in = loader.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard's " + name + " is not on the classpath (is the build's copy step missing?)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
