package dev.sensorchat.storage;

import java.util.List;

/**
 * Documents changed since a position in a container's change feed, oldest change first, each in
 * its latest version.
 *
 * @param changes      may be empty when nothing changed
 * @param continuation where the next read starts; persist it to resume after a restart
 */
public record ChangeFeedPage<T>(List<T> changes, String continuation) {
}
