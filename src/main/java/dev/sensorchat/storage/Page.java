package dev.sensorchat.storage;

import java.util.List;

/**
 * One page of query results.
 *
 * @param items        this page (may be shorter than asked, even empty, while more follow)
 * @param continuation pass back to get the next page; null when this is the last
 */
public record Page<T>(List<T> items, String continuation) {
}
