/**
 * Implementation of the Redis backplane: connection management, health probes, delivery thread, channel
 * names, URI parsing and the Lua scripts of the history. Not an API; may change in any release.
 *
 * <p>Nullability: parameters and return values are non-null unless documented otherwise.
 */
package dev.switchboard.backplane.redis.internal;
