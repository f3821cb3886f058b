package dev.switchboard.client;

/**
 * The item type of the CRUD tests, converted by Jackson. {@code id} and {@code version} are
 * {@code null} on tasks not yet created.
 */
record Task(String id, String title, String status, Long version) {

    /** @return a new, not yet stored task */
    static Task of(String title, String status) {
        return new Task(null, title, status, null);
    }
}
