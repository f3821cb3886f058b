/**
 * Implementation of the client. Not an API: anything here may change without notice.
 *
 * <p>Nullability: non-null unless documented otherwise.
 */
package dev.switchboard.client.internal;
