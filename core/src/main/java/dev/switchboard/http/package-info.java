/**
 * Transport-neutral HTTP services: the emit API ({@link dev.switchboard.http.EmitHttpService},
 * {@code POST /api/emit}) and the CloudEvents endpoint ({@link dev.switchboard.http.CloudEventsHttpService},
 * {@code POST /events}), written against a neutral {@link dev.switchboard.http.HttpRequest} and
 * {@link dev.switchboard.http.HttpResponse}, so that any server mounts the very same logic: the Jetty
 * transport as servlets, a host's own servlet container, another framework's handler. Who may call them
 * is decided by an {@link dev.switchboard.http.HttpAuthorizer} (API keys: {@link dev.switchboard.http.ApiKeys}).
 *
 * <p>Nullability: parameters and return values are non-null unless documented otherwise.
 */
package dev.switchboard.http;
