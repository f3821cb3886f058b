package dev.switchboard.spi;

import dev.switchboard.crud.ChangeFeed;
import dev.switchboard.crud.Repository;

/**
 * Creates repositories (and their change feeds) from a URI, so an application can pick its storage by
 * configuration ({@code --repository postgres://…}) with
 * {@link dev.switchboard.crud.Repositories#fromUri}. Modules register an implementation in
 * {@code META-INF/services/dev.switchboard.spi.RepositoryFactory}.
 */
public interface RepositoryFactory {

    /** @param uri a repository URI @return true if this factory handles its scheme */
    boolean supports(String uri);

    /**
     * @param uri a URI {@link #supports} accepted
     * @param collection the collection's name
     * @return a repository for that collection (creating its table or collection if needed)
     * @throws IllegalArgumentException when the URI is malformed
     */
    Repository create(String uri, String collection);

    /**
     * @param uri a URI {@link #supports} accepted
     * @param collection the collection's name
     * @return a feed of changes made to the collection's storage by any program, or {@code null} when
     *     the technology has none
     */
    default ChangeFeed changeFeed(String uri, String collection) {
        return null;
    }
}
