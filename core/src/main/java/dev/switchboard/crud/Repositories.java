package dev.switchboard.crud;

import dev.switchboard.backplane.Backplanes;
import dev.switchboard.spi.RepositoryFactory;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * Picks a repository by URI, for applications configured from the command line or a file:
 * {@code memory} is {@link InMemoryRepository}; any other URI ({@code postgres://…},
 * {@code mongodb://…}) goes to the {@link RepositoryFactory} on the class path that supports it.
 */
public final class Repositories {

    private Repositories() {
    }

    /**
     * @param uri {@code memory} or a URI a storage module understands
     * @param collection the collection's name
     * @return the repository
     * @throws IllegalArgumentException when no module on the class path handles the URI
     */
    public static Repository fromUri(String uri, String collection) {
        Objects.requireNonNull(collection, "collection");
        if (isMemory(uri)) {
            return InMemoryRepository.create();
        }
        return factory(uri).create(uri, collection);
    }

    /**
     * @param uri {@code memory} or a URI a storage module understands
     * @param collection the collection's name
     * @return the storage's feed of changes made by any program, or {@code null} (memory has none: the
     *     CRUD service publishes its own writes)
     */
    public static ChangeFeed changeFeedFromUri(String uri, String collection) {
        Objects.requireNonNull(collection, "collection");
        return isMemory(uri) ? null : factory(uri).changeFeed(uri, collection);
    }

    private static boolean isMemory(String uri) {
        return Objects.requireNonNull(uri, "uri").isBlank() || uri.equals("memory");
    }

    private static RepositoryFactory factory(String uri) {
        for (RepositoryFactory f : ServiceLoader.load(RepositoryFactory.class)) {
            if (f.supports(uri)) {
                return f;
            }
        }
        throw new IllegalArgumentException("no repository module on the class path handles \""
                + Backplanes.redact(uri) + "\"");
    }
}
