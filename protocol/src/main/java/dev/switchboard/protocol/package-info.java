/**
 * Wire protocol v1: the frame records and their JSON codec, shared by the server and the Java client.
 *
 * <p>Nullability: parameters and return values are non-null unless documented otherwise.
 */
package dev.switchboard.protocol;
