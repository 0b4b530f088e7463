package dev.sensorchat.blob;

import java.util.regex.Pattern;

/**
 * Validates container and blob names before they reach Storage, so that a name built from input
 * (a device id, a date) can never climb out of its prefix or smuggle in odd characters.
 */
public final class BlobNames {

    /** Storage's own rule: 3-63 lowercase letters, digits and single hyphens, starting with a letter or digit. */
    private static final Pattern CONTAINER = Pattern.compile("^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$");

    /** Stricter than Storage allows: path segments of letters, digits and ._:=- only. */
    private static final Pattern BLOB = Pattern.compile("^[A-Za-z0-9._:=-]+(/[A-Za-z0-9._:=-]+)*$");

    private static final int MAX_BLOB_NAME = 1024;

    private BlobNames() {
    }

    public static String requireValidContainer(String name) {
        if (name == null || !CONTAINER.matcher(name).matches()) {
            throw new IllegalArgumentException("Invalid container name '" + name
                    + "': use 3-63 lowercase letters, digits and single hyphens.");
        }
        return name;
    }

    public static String requireValidBlob(String name) {
        if (name == null || name.length() > MAX_BLOB_NAME || !BLOB.matcher(name).matches()) {
            throw new IllegalArgumentException("Invalid blob name: use '/'-separated segments of letters, digits and ._:=- "
                    + "(at most " + MAX_BLOB_NAME + " characters).");
        }
        for (String segment : name.split("/")) {
            if (segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("Invalid blob name: '.' and '..' segments are not allowed.");
            }
        }
        return name;
    }
}
